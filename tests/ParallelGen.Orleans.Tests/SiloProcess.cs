using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using ParallelGen.Orleans.TestSilo;

namespace ParallelGen.Orleans.Tests;

/// <summary>A real silo process (ParallelGen.Orleans.TestSilo) on localhost, for the multi-process tests.</summary>
internal sealed class SiloProcess : IDisposable
{
    private readonly Process _process;

    private SiloProcess(Process process, string name, int gatewayPort)
    {
        _process = process;
        Name = name;
        GatewayPort = gatewayPort;
    }

    public string Name { get; }

    public int GatewayPort { get; }

    public int Id => _process.Id;

    /// <summary>Starts a silo and waits until it says it joined the cluster (its "ready" line).</summary>
    public static async Task<SiloProcess> StartAsync(string name, int siloPort, int gatewayPort, int primarySiloPort, int workers)
    {
        // The silo's own build output, beside the test's: it runs from there with its own deps and runtimeconfig.
        string dll = typeof(ClusterJobs).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (string argument in new[] { "exec", dll, name, Text(siloPort), Text(gatewayPort), Text(primarySiloPort), Text(workers) })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data == "ready")
            {
                ready.TrySetResult();
            }
            else if (line.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(line.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            lock (output)
            {
                output.AppendLine(line.Data);
            }
        };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"Silo {name} exited with code {process.ExitCode} before it was ready:\n{output}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        return new SiloProcess(process, name, gatewayPort);
    }

    /// <summary>SIGKILL: the silo gets no chance to leave the cluster.</summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Gone already.
        }

        _process.Dispose();
    }

    /// <summary>Free TCP ports on the loopback interface, as the OS hands them out.</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = new TcpListener[count];
        var ports = new int[count];
        for (int i = 0; i < count; i++)
        {
            listeners[i] = new TcpListener(IPAddress.Loopback, 0);
            listeners[i].Start();
            ports[i] = ((IPEndPoint)listeners[i].LocalEndpoint).Port;
        }

        foreach (TcpListener listener in listeners)
        {
            listener.Stop();
        }

        return ports;
    }

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

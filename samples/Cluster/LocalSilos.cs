using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Tasks;

namespace Cluster;

/// <summary>Silo processes of this same program on localhost, started and stopped by the default mode.</summary>
internal sealed class LocalSilos : IAsyncDisposable
{
    private readonly List<Process> _silos = new();

    /// <summary>Starts a silo (`Cluster silo ...`) and waits for its "ready" line.</summary>
    public async Task StartAsync(string name, int siloPort, int gatewayPort, int primaryPort, int workers)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "silo", name, Text(siloPort), Text(gatewayPort), "127.0.0.1:" + Text(primaryPort), "127.0.0.1", Text(workers) })
        {
            start.ArgumentList.Add(argument);
        }

        Process silo = Process.Start(start)!;
        _silos.Add(silo);
        while (await silo.StandardOutput.ReadLineAsync().ConfigureAwait(false) is string line)
        {
            if (line == "ready")
            {
                _ = silo.StandardOutput.ReadToEndAsync(); // keep draining its warnings
                return;
            }
        }

        throw new InvalidOperationException($"Silo {name} exited before it was ready (exit code {silo.ExitCode}).");
    }

    /// <summary>Closes each silo's standard input: it leaves the cluster cleanly and exits.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (Process silo in _silos)
        {
            silo.StandardInput.Close();
        }

        foreach (Process silo in _silos)
        {
            await silo.WaitForExitAsync().ConfigureAwait(false);
            silo.Dispose();
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}

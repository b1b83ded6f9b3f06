using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using NUnit.Framework;
using ParallelGen.Backends.Process;
using ParallelGen.Protocol.Tests.Infrastructure;
using ParallelGen.Transport;
using Shouldly;

namespace ParallelGen.Protocol.Tests;

/// <summary>Sockets and temp files are gone once a pool is disposed.</summary>
public class CleanupTests
{
    [Test]
    public void AfterDispose_TheListenerIsGone_AndNothingCanConnect()
    {
        string address;
        using (var pool = new ProcessPool(1))
        {
            address = WorkerProc.ListenerAddress(pool.Apply(ProtocolJobs.Remote.ProcessId));
        }

        if (OperatingSystem.IsLinux())
        {
            File.ReadAllText("/proc/net/unix").ShouldNotContain(address);
        }

        Should.Throw<SocketException>(() => SocketAddress.Connect(address).Dispose());
    }

    /// <summary>
    /// Every .NET process opens a diagnostics socket in the temp directory (dotnet-diagnostic-&lt;pid&gt;-*-socket)
    /// and deletes it when it exits normally. A worker killed by Terminate/Dispose cannot delete its own.
    /// </summary>
    [Test]
    public void AfterDispose_NoWorkerLeavesItsDiagnosticsSocketInTheTempDirectory()
    {
        int worker;
        using (var pool = new ProcessPool(1))
        {
            worker = pool.Apply(ProtocolJobs.Remote.ProcessId);
        }

        string[] left = Directory.GetFiles(Path.GetTempPath(), $"dotnet-diagnostic-{worker}-*");
        try
        {
            left.ShouldBeEmpty($"worker {worker} left {string.Join(", ", left)}");
        }
        finally
        {
            foreach (string file in left)
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>
    /// A worker the pool kills before it connects (a Terminate during start-up, a connect timeout) cannot remove the
    /// files its runtime made in the temp directory: the diagnostics socket and the debugger's clr-debug-pipe pair.
    /// The worker here is frozen (SIGSTOP) once those exist, so it is certainly killed unconnected.
    /// </summary>
    [Test]
    public void AWorkerKilledBeforeItConnects_LeavesNoRuntimeFilesInTheTempDirectory()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("Freezing a process with SIGSTOP, and the runtime's Unix temp files.");
        }

        Process? started = null;
        var events = new IgnoringEvents();
        var backend = new ProcessBackend(new ProcessPoolOptions { Processes = 1 }, events, launched: process => started = process);
        try
        {
            backend.StartWorker();
            int worker = started!.Id;
            string[] patterns = [$"dotnet-diagnostic-{worker}-*-socket", $"clr-debug-pipe-{worker}-*-in", $"clr-debug-pipe-{worker}-*-out"];
            var clock = Stopwatch.StartNew();
            while (patterns.Any(p => Directory.GetFiles(Path.GetTempPath(), p).Length == 0) && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Yield(); // the runtime makes them early in its start-up, before any managed code
            }

            kill(worker, SigStop).ShouldBe(0);
            if (events.Ready.IsSet)
            {
                Assert.Inconclusive("The worker connected before it could be frozen.");
            }

            string[] before = patterns.SelectMany(p => Directory.GetFiles(Path.GetTempPath(), p)).ToArray();
            backend.Terminate();

            string[] left = patterns.SelectMany(p => Directory.GetFiles(Path.GetTempPath(), p)).ToArray();
            TestContext.Out.WriteLine($"worker {worker}: {string.Join(", ", before.Select(Path.GetFileName))} before; {left.Length} left");
            before.Length.ShouldBe(3, "the runtime made its diagnostics socket and debugger pipes");
            started.HasExited.ShouldBeTrue();
            left.ShouldBeEmpty();
        }
        finally
        {
            backend.Dispose();
            started?.Dispose();
        }
    }

    /// <summary>WorkerProcess.Start starts its process first; when the arguments then fail to encode, that process must go too.</summary>
    [Test]
    public void WorkerProcessStart_WhoseArgumentsFailToEncode_LeavesNoProcessBehind()
    {
        HashSet<int> before = Children();

        Should.Throw<InvalidOperationException>(() => WorkerProcess.Start(ProtocolJobs.Unregistered.ArgumentsThatCannotBeWritten, "1"))
            .Message.ShouldContain("cannot be written");

        int[] started = Children().Except(before).ToArray();
        var alive = new List<int>();
        foreach (int child in started)
        {
            try
            {
                using Process process = Process.GetProcessById(child);
                if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    alive.Add(child);
                    process.Kill();
                }
            }
            catch (ArgumentException)
            {
                // Gone already.
            }
        }

        TestContext.Out.WriteLine($"processes started meanwhile: {string.Join(", ", started)}");
        alive.ShouldBeEmpty("the worker started for the call outlived WorkerProcess.Start's exception");
    }

    private const int SigStop = 19;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>Ids of this process's live children, from /proc/&lt;pid&gt;/stat.</summary>
    private static HashSet<int> Children()
    {
        var children = new HashSet<int>();
        foreach (string directory in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out int pid))
            {
                continue;
            }

            try
            {
                string stat = File.ReadAllText(Path.Combine(directory, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == Environment.ProcessId && fields[0] != "Z")
                {
                    children.Add(pid);
                }
            }
            catch (IOException)
            {
                // Exited while being looked at.
            }
        }

        return children;
    }
}

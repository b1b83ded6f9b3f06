using System;
using System.IO;
using System.Net.Sockets;
using NUnit.Framework;
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
}

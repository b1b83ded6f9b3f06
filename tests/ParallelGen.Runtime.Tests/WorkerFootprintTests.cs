using System;
using NUnit.Framework;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

/// <summary>
/// A worker loads what its calls need and no more: each assembly it maps costs every worker resident memory. On Linux
/// its socket to the parent is libc's, so no socket assembly loads unless a socket error is examined, and the tracing
/// assembly loads only when a call carries a trace.
/// </summary>
public class WorkerFootprintTests
{
    [Test]
    public void AnUntracedWorker_LoadsNoSocketOrTracingAssembly()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("Elsewhere the worker's socket is System.Net.Sockets.Socket.");
        }

        using var pool = new ProcessPool(1);
        pool.Apply(HandWrittenJobs.Remote.Square, 7).ShouldBe(49);
        string[] loaded = pool.Apply(HandWrittenJobs.Remote.LoadedAssemblies);

        TestContext.Out.WriteLine(string.Join(", ", loaded));
        loaded.ShouldContain("ParallelGen");
        loaded.ShouldNotContain("System.Net.Sockets");
        loaded.ShouldNotContain("System.Net.Primitives", "SocketException's assembly: only a socket error should load it");
        loaded.ShouldNotContain("Microsoft.Win32.Primitives");
        loaded.ShouldNotContain("System.Diagnostics.DiagnosticSource", "Activity's assembly: only a traced call should load it");
    }
}

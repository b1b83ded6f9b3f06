using System;
using System.Linq;
using NUnit.Framework;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

/// <summary>
/// A worker loads what its calls need and no more: each assembly it maps and each thread it starts costs every worker
/// resident memory. On Linux its socket to the parent is libc's, so no socket assembly loads unless a socket error is
/// examined; the tracing assembly loads only when a call carries a trace, MemoryPack only when a call moves a value
/// that is not unmanaged, and no timer or thread-pool thread starts unless a call of the app's own needs one.
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

    [Test]
    public void AWorkerThatBatchedItsAnswers_StartsNoTimerOrThreadPoolThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("Thread names are read from /proc.");
        }

        using var pool = new ProcessPool(1);
        // 200 one-item tasks queue up behind each other in the one worker, so it holds answers back to send them
        // together, and a deadline bounds how long: that deadline used to start the runtime's timer thread and,
        // when it fired, the thread pool.
        pool.Map(HandWrittenJobs.Remote.Square, Enumerable.Range(0, 200), chunkSize: 1).ShouldBe(Enumerable.Range(0, 200).Select(i => i * i));
        string[] threads = pool.Apply(HandWrittenJobs.Remote.ThreadNames);

        TestContext.Out.WriteLine(string.Join(", ", threads));
        threads.ShouldContain(name => name.StartsWith("ParallelGen", StringComparison.Ordinal));
        threads.ShouldNotContain(".NET Timer");
        threads.ShouldNotContain(name => name.StartsWith(".NET TP", StringComparison.Ordinal), "a thread-pool thread: no call of this worker needed one");
    }

    [Test]
    public void AWorkerWhoseCallsMoveOnlyUnmanagedValues_LoadsNoMemoryPack()
    {
        using var pool = new ProcessPool(1);
        pool.Map(HandWrittenJobs.Remote.Square, Enumerable.Range(0, 100)).ShouldBe(Enumerable.Range(0, 100).Select(i => i * i));

        pool.Apply(HandWrittenJobs.Remote.MemoryPackLoaded).ShouldBeFalse("ints in, ints out: raw blocks, no MemoryPack reader or writer");

        // The same worker loads it as soon as a call needs it, which is what makes the check above mean something.
        pool.Apply(HandWrittenJobs.Remote.LoadedAssemblies).ShouldContain("ParallelGen");
        pool.Apply(HandWrittenJobs.Remote.MemoryPackLoaded).ShouldBeTrue();
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using NUnit.Framework;
using ParallelGen.Backends.Process;
using ParallelGen.Transport.SharedMemory;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

/// <summary>
/// Frames between the parent and a worker travel through shared memory (a memfd per worker, one ring each way); the
/// socket is left with the handshake and with telling either side that the other is gone. These tests hold that
/// transport to the promises of the socket it replaced: a worker that dies, however and whenever, loses only the call
/// it was answering, and no memory outlives the processes, even when the parent is killed.
/// </summary>
[NonParallelizable]
public class SharedMemoryTransportTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(60);

    [SetUp]
    public void RequireSharedMemory()
    {
        if (!RingRegion.IsSupported)
        {
            Assert.Ignore("Shared-memory rings need Linux (memfd_create, futex).");
        }
    }

    [Test]
    public void AWorker_MapsTheMemoryNamedOnItsCommandLine_AndTheParentKeepsNoDescriptorForIt()
    {
        using var pool = new ProcessPool(1);
        int worker = pool.Apply(HandWrittenJobs.Remote.ProcessId);
        string name = RingName(worker).ShouldNotBeNull();

        File.ReadAllText($"/proc/{worker}/maps").ShouldContain("/memfd:" + name + " ");
        File.ReadAllText("/proc/self/maps").ShouldContain("/memfd:" + name + " ");
        // Mapped, not held: no process started later can open it through /proc/<pid>/fd.
        DescriptorsNaming(Environment.ProcessId, name).ShouldBeEmpty();
        ((ProcessBackend)pool.WorkerBackend).Workers.ShouldAllBe(w => w.UsesSharedMemory);
        pool.Map(HandWrittenJobs.Remote.Square, Enumerable.Range(0, 500), chunkSize: 1).ShouldBe(Enumerable.Range(0, 500).Select(x => x * x));
    }

    [Test]
    public void Holds_KnowsABlockByItsName_AndNoBlockByANameTooLongForTheKernel()
    {
        using SharedMemoryBlock block = SharedMemoryBlock.Create(4096);
        string link = SharedMemoryBlock.FdLink("self", block.Fd);

        SharedMemoryBlock.Holds(link, block.Name).ShouldBeTrue();
        SharedMemoryBlock.Holds(link, block.Name + "x").ShouldBeFalse();
        // A name can come off the wire: one of millions of characters is refused, not copied onto the stack.
        SharedMemoryBlock.Holds(link, new string('a', 16_000_000)).ShouldBeFalse();
    }

    [Test]
    public void OverSockets_NoWorkerGetsSharedMemory()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, Backend = PoolBackend.ProcessesOverSockets });
        int worker = pool.Apply(HandWrittenJobs.Remote.ProcessId);

        RingName(worker).ShouldBeNull();
        File.ReadAllText($"/proc/{worker}/maps").ShouldNotContain("/memfd:parallelgen-");
        ((ProcessBackend)pool.WorkerBackend).Workers.ShouldAllBe(w => !w.UsesSharedMemory);
        pool.Map(HandWrittenJobs.Remote.Square, Enumerable.Range(0, 500), chunkSize: 1).ShouldBe(Enumerable.Range(0, 500).Select(x => x * x));
    }

    /// <summary>
    /// The parent's reader is held inside a progress report, so the worker's 16 MB answer fills the 1 MB ring and its
    /// writer waits with the frame half written. SIGKILL then: the half frame is never taken for an answer, that call
    /// fails as a crash, the call queued behind it runs on the replacement, and nothing waits for ever.
    /// </summary>
    [Test]
    public void AWorkerKilledInTheMiddleOfWritingAnAnswer_LosesOnlyThatCall()
    {
        using var pool = new ProcessPool(1);
        pool.Apply(HandWrittenJobs.Remote.Square, 2).ShouldBe(4);
        ChildWorker child = ((ProcessBackend)pool.WorkerBackend).Workers.Single();
        RingRegion region = child.Region.ShouldNotBeNull();
        using var progress = new GatedProgress();

        AsyncResult<byte[]> big = pool.ApplyAsync(SharedMemoryJobs.Remote.ReportThenMakeBytes, (progress, 16 * 1024 * 1024));
        AsyncResult<int> behind = pool.ApplyAsync(HandWrittenJobs.Remote.Square, 5);
        progress.Reported.Wait(s_patience).ShouldBeTrue();
        SpinWait.SpinUntil(() => region.ToParent.Unread == region.Capacity, s_patience).ShouldBeTrue("the answer filled the ring");
        Process.GetProcessById(child.ProcessId!.Value).Kill();
        progress.Release.Set();

        Should.Throw<WorkerCrashedException>(() => big.Get(s_patience)).ExitCode.ShouldBe(137);
        behind.Get(s_patience).ShouldBe(25);
        pool.Apply(HandWrittenJobs.Remote.Square, 6).ShouldBe(36);
    }

    /// <summary>
    /// SIGKILL lands while short calls stream through both workers' rings (both sides spin between calls): at most the
    /// one call the killed worker was running fails; every other result arrives, right and in its place.
    /// </summary>
    [Test]
    public void AWorkerKilledWhileCallsStream_LosesAtMostTheCallItWasRunning()
    {
        using var pool = new ProcessPool(2);
        int victim = pool.Apply(HandWrittenJobs.Remote.ProcessId);
        AsyncResult<int>[] results = Enumerable.Range(0, 5000).Select(i => pool.ApplyAsync(HandWrittenJobs.Remote.Square, i)).ToArray();

        results[200].Wait(s_patience).ShouldBeTrue();
        Process.GetProcessById(victim).Kill();

        int crashed = 0;
        for (int i = 0; i < results.Length; i++)
        {
            try
            {
                results[i].Get(s_patience).ShouldBe(i * i);
            }
            catch (WorkerCrashedException)
            {
                crashed++;
            }
        }

        crashed.ShouldBeLessThanOrEqualTo(1);
    }

    /// <summary>
    /// The outer worker is the parent of an inner pool's worker and of its shared memory. SIGKILL it: the inner worker
    /// exits on its own, and then no process maps or holds that memory, and /dev/shm has nothing of it.
    /// </summary>
    [Test]
    public void ParentKilledWithSigkill_TheSharedMemoryGoesWithItsWorkers()
    {
        using var pool = new ProcessPool(1);
        (int parent, int orphan, _) = pool.Apply(HandWrittenJobs.Remote.NestedPool, 1);
        string name = RingName(orphan).ShouldNotBeNull();
        File.ReadAllText($"/proc/{orphan}/maps").ShouldContain("/memfd:" + name + " ");

        Process.GetProcessById(parent).Kill();

        ProcessAssert.WaitForExit(orphan, TimeSpan.FromSeconds(10)).ShouldBeTrue();
        ProcessAssert.WaitForExit(parent, TimeSpan.FromSeconds(10)).ShouldBeTrue();
        ProcessesHolding(name).ShouldBeEmpty();
        Directory.GetFiles("/dev/shm").ShouldNotContain(file => file.Contains(name, StringComparison.Ordinal));
    }

    /// <summary>The memfd name on a worker's command line (<c>--ring fd:name:capacity</c>), or null without one.</summary>
    private static string? RingName(int worker)
    {
        string[] arguments = File.ReadAllText($"/proc/{worker}/cmdline").Split('\0');
        int ring = Array.IndexOf(arguments, "--ring");
        return ring < 0 ? null : arguments[ring + 1].Split(':')[1];
    }

    private static List<string> DescriptorsNaming(int process, string name)
    {
        var found = new List<string>();
        foreach (string fd in Directory.EnumerateFiles($"/proc/{process}/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.Contains(name, StringComparison.Ordinal))
                {
                    found.Add(fd);
                }
            }
            catch (IOException)
            {
                // Closed meanwhile.
            }
        }

        return found;
    }

    /// <summary>Every process that maps the memfd <paramref name="name"/> or holds a descriptor for it.</summary>
    private static List<int> ProcessesHolding(string name)
    {
        var holders = new List<int>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out int pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText($"/proc/{pid}/maps").Contains(name, StringComparison.Ordinal) || DescriptorsNaming(pid, name).Count > 0)
                {
                    holders.Add(pid);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read (then not ours to share memory with either).
            }
        }

        return holders;
    }

    /// <summary>A progress object whose first report holds the caller's reader until the test lets it go.</summary>
    private sealed class GatedProgress : IProgress<int>, IDisposable
    {
        public ManualResetEventSlim Reported { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public void Report(int value)
        {
            Reported.Set();
            Release.Wait(s_patience);
        }

        public void Dispose()
        {
            Release.Set();
            Reported.Dispose();
            Release.Dispose();
        }
    }
}

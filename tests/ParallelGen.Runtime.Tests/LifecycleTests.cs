using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

public class LifecycleTests
{
    private static readonly TimeSpan s_generous = TimeSpan.FromSeconds(30);

    [Test]
    public void Constructor_Default_UsesProcessorCount()
    {
        using var pool = new ProcessPool();
        pool.Processes.ShouldBe(Environment.ProcessorCount);
    }

    [Test]
    public void Constructor_NoProcesses_IsRejected() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new ProcessPool(0));

    [Test]
    public void Close_ThenSubmit_ThrowsInvalidOperation()
    {
        using var pool = new ProcessPool(1);
        pool.Close();
        Should.Throw<InvalidOperationException>(() => pool.ApplyAsync(HandWrittenJobs.Remote.Square, 1)).Message.ShouldContain("closed");
        Should.Throw<InvalidOperationException>(() => pool.Map(HandWrittenJobs.Remote.Square, new[] { 1 }));
    }

    [Test]
    public void Close_QueuedWorkStillRuns_ThenJoinReturnsWithWorkersGone()
    {
        var pool = new ProcessPool(2);
        int[] pids = Enumerable.Range(0, 8).Select(_ => pool.ApplyAsync(HandWrittenJobs.Remote.ProcessId)).ToList().Select(r => r.Get()).Distinct().ToArray();
        AsyncResult<int[]> queued = pool.MapAsync(HandWrittenJobs.Remote.Square, Enumerable.Range(0, 1000), chunkSize: 10);
        pool.Close();
        pool.Join(s_generous).ShouldBeTrue();
        queued.Get().ShouldBe(Enumerable.Range(0, 1000).Select(x => x * x).ToArray());
        pids.ShouldAllBe(pid => ProcessAssert.IsGone(pid));
        pool.Dispose();
    }

    [Test]
    public void Join_BeforeCloseOrTerminate_ThrowsInvalidOperation()
    {
        using var pool = new ProcessPool(1);
        Should.Throw<InvalidOperationException>(() => pool.Join());
    }

    [Test]
    public void Terminate_FailsUnfinishedResultsPromptlyAndKillsWorkers()
    {
        var pool = new ProcessPool(1);
        using var capture = new ConsoleCapture();
        int pid = pool.Apply(HandWrittenJobs.Remote.ProcessId);
        AsyncResult<int> running = pool.ApplyAsync(HandWrittenJobs.Remote.WaitForCancellation, "terminate-me");
        AsyncResult<int> queued = pool.ApplyAsync(HandWrittenJobs.Remote.Square, 3);
        capture.WaitFor("terminate-me", s_generous).ShouldBeTrue();

        pool.Terminate();

        Should.Throw<PoolTerminatedException>(() => running.Get(s_generous));
        Should.Throw<PoolTerminatedException>(() => queued.Get(s_generous));
        pool.Join(s_generous).ShouldBeTrue();
        ProcessAssert.IsGone(pid).ShouldBeTrue();
        Should.Throw<InvalidOperationException>(() => pool.Apply(HandWrittenJobs.Remote.Square, 1)).Message.ShouldContain("terminated");
    }

    [Test]
    public void Dispose_TerminatesLikePythonsWithBlock()
    {
        AsyncResult<int> running;
        int pid;
        using var capture = new ConsoleCapture();
        using (var pool = new ProcessPool(1))
        {
            pid = pool.Apply(HandWrittenJobs.Remote.ProcessId);
            running = pool.ApplyAsync(HandWrittenJobs.Remote.WaitForCancellation, "dispose-me");
            capture.WaitFor("dispose-me", s_generous).ShouldBeTrue();
        }

        Should.Throw<PoolTerminatedException>(() => running.Get(s_generous));
        ProcessAssert.IsGone(pid).ShouldBeTrue();
    }

    [Test]
    public void WorkerCrash_FailsThatTaskWithExitCode_AndThePoolStaysUsable()
    {
        using var pool = new ProcessPool(1);
        int before = pool.Apply(HandWrittenJobs.Remote.ProcessId);

        WorkerCrashedException crash = Should.Throw<WorkerCrashedException>(() => pool.Apply(HandWrittenJobs.Remote.Crash, 5));

        crash.ExitCode.ShouldBe(5);
        crash.ProcessId.ShouldBe(before);
        crash.Message.ShouldContain("exited with code 5");
        crash.Message.ShouldContain(nameof(HandWrittenJobs.Crash));
        pool.Apply(HandWrittenJobs.Remote.Square, 8).ShouldBe(64);
        pool.Apply(HandWrittenJobs.Remote.ProcessId).ShouldNotBe(before);
    }

    [Test]
    public void WorkerCrash_InsideMap_FailsTheMapInsteadOfHanging()
    {
        using var pool = new ProcessPool(2);
        Should.Throw<WorkerCrashedException>(() => pool.Map(HandWrittenJobs.Remote.ExitOn13, Enumerable.Range(0, 40), chunkSize: 2))
            .ExitCode.ShouldBe(13);
        pool.Map(HandWrittenJobs.Remote.Square, Enumerable.Range(0, 10)).ShouldBe(Enumerable.Range(0, 10).Select(x => x * x).ToArray());
    }

    [Test]
    public void WorkerCrash_TasksQueuedBehindItStillComplete()
    {
        using var pool = new ProcessPool(1);
        var results = new List<AsyncResult<int>>();
        AsyncResult<int> crash = pool.ApplyAsync(HandWrittenJobs.Remote.Crash, 9);
        for (int i = 0; i < 50; i++)
        {
            results.Add(pool.ApplyAsync(HandWrittenJobs.Remote.Square, i));
        }

        Should.Throw<WorkerCrashedException>(() => crash.Get());
        results.Select(r => r.Get()).ShouldBe(Enumerable.Range(0, 50).Select(x => x * x));
    }

    [Test]
    public void MaxTasksPerChild_RecyclesWorkers()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxTasksPerChild = 2 });
        int[] pids = Enumerable.Range(0, 6).Select(_ => pool.Apply(HandWrittenJobs.Remote.ProcessId)).ToArray();
        pids.Distinct().Count().ShouldBe(3);
        pids.GroupBy(pid => pid).ShouldAllBe(group => group.Count() == 2);
    }
}

using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

public class FaultToleranceTests
{
    private static readonly TimeSpan s_generous = TimeSpan.FromSeconds(30);

    [TestCase("failfast", 134)]
    [TestCase("kill", 137)]
    [TestCase("stackoverflow", 134)]
    public void WorkerDies_TaskFailsWithExitCode_PoolReplacesIt(string how, int exitCode)
    {
        using var pool = new ProcessPool(1);
        int before = pool.Apply(HandWrittenJobs.Remote.ProcessId);

        WorkerCrashedException crash = Should.Throw<WorkerCrashedException>(() => pool.Apply(HandWrittenJobs.Remote.Die, how));

        crash.ProcessId.ShouldBe(before);
        crash.ExitCode.ShouldBe(exitCode);
        crash.Signal.ShouldBe(exitCode - 128);
        ProcessAssert.IsGone(before).ShouldBeTrue();
        pool.Apply(HandWrittenJobs.Remote.Square, 12).ShouldBe(144);
    }

    [Test]
    public void TaskTimeout_StopsTheRunawayTask_ReplacesTheWorker()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, TaskTimeout = TimeSpan.FromSeconds(2) });
        int before = pool.Apply(HandWrittenJobs.Remote.ProcessId);

        TimeoutException timeout = Should.Throw<TimeoutException>(() => pool.Apply(HandWrittenJobs.Remote.WaitForCancellation, "runaway"));

        timeout.Message.ShouldContain("TaskTimeout");
        timeout.Message.ShouldContain(nameof(HandWrittenJobs.WaitForCancellation));
        ProcessAssert.IsGone(before).ShouldBeTrue();
        pool.Apply(HandWrittenJobs.Remote.Square, 3).ShouldBe(9);
    }

    [Test]
    public void MaxRetries_RerunsATaskWhoseWorkerCrashed()
    {
        string marker = Path.Combine(Path.GetTempPath(), "parallelgen-retry-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxRetries = 1 });
            pool.Apply(HandWrittenJobs.Remote.CrashOnce, marker).ShouldBe(42);
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Test]
    public void MaxRetries_Zero_ReportsTheCrash()
    {
        string marker = Path.Combine(Path.GetTempPath(), "parallelgen-retry-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var pool = new ProcessPool(1);
            Should.Throw<WorkerCrashedException>(() => pool.Apply(HandWrittenJobs.Remote.CrashOnce, marker)).ExitCode.ShouldBe(3);
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Test]
    public void Initializer_RunsInEveryNewWorker_ReplacementsIncluded()
    {
        var options = new ProcessPoolOptions
        {
            Processes = 1,
            MaxTasksPerChild = 1,
            Initializer = ProcessInitializer.Create(HandWrittenJobs.Remote.SetGreeting, "hello from init"),
        };
        using var pool = new ProcessPool(options);
        string[] greetings = Enumerable.Range(0, 3).Select(_ => pool.Apply(HandWrittenJobs.Remote.GetGreeting)).ToArray();
        greetings.ShouldAllBe(greeting => greeting == "hello from init");
    }

    [Test]
    public void Initializer_Failing_IsAClearErrorNotARestartLoop()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, Initializer = ProcessInitializer.Create(HandWrittenJobs.Remote.FailingInitializer) });
        AsyncResult<int> result = pool.ApplyAsync(HandWrittenJobs.Remote.Square, 2);

        WorkerStartException error = Should.Throw<WorkerStartException>(() => result.Get(s_generous));

        error.Message.ShouldContain(nameof(HandWrittenJobs.FailingInitializer));
        error.InnerException.ShouldBeOfType<RemoteException>().Message.ShouldBe("the native library is missing");
        Should.Throw<WorkerStartException>(() => pool.Apply(HandWrittenJobs.Remote.Square, 3));
    }

    [Test]
    public void NestedPool_AWorkerCanOpenItsOwnPool()
    {
        using var pool = new ProcessPool(1);
        (int outer, int inner, int square) = pool.Apply(HandWrittenJobs.Remote.NestedPool, 9);
        square.ShouldBe(81);
        outer.ShouldNotBe(Environment.ProcessId);
        inner.ShouldNotBe(outer);
        inner.ShouldNotBe(Environment.ProcessId);
    }

    [Test]
    public void ParentKilledWithSigkill_ItsWorkersExitOnTheirOwn()
    {
        // The outer worker is the parent of an inner pool's worker: SIGKILL it, and the inner worker, now an
        // orphan, must notice the closed socket and exit without any help from its dead parent.
        using var pool = new ProcessPool(1);
        (int parent, int orphan, _) = pool.Apply(HandWrittenJobs.Remote.NestedPool, 1);

        Process.GetProcessById(parent).Kill();

        ProcessAssert.WaitForExit(orphan, TimeSpan.FromSeconds(5)).ShouldBeTrue();
    }

    [Test]
    public void InProcessMode_RunsOnThisProcessThroughTheSameSerialization()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, InProcess = true });
        pool.Apply(HandWrittenJobs.Remote.ProcessId).ShouldBe(Environment.ProcessId);
        pool.Map(HandWrittenJobs.Remote.Square, Enumerable.Range(0, 100), chunkSize: 7).ShouldBe(Enumerable.Range(0, 100).Select(x => x * x).ToArray());
        RemoteException error = Should.Throw<RemoteException>(() => pool.Apply(HandWrittenJobs.Remote.Fail, "in-process"));
        error.RemoteType.ShouldBe("System.InvalidOperationException");
        error.InnerException.ShouldBeOfType<RemoteException>().RemoteType.ShouldBe("System.ArgumentException");
        pool.Close();
        pool.Join(s_generous).ShouldBeTrue();
    }
}

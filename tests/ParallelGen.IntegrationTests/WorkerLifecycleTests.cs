using System;
using System.Linq;
using System.Threading.Tasks;
using NUnit.Framework;
using ParallelGen.IntegrationTests.Infrastructure;
using ParallelGen.IntegrationTests.Jobs;
using Shouldly;

namespace ParallelGen.IntegrationTests;

/// <summary>Crashes, console forwarding and Close/Join, with generated handles.</summary>
public class WorkerLifecycleTests : PoolFixture
{
    [Test]
    public void WorkerExitsDuringACall_ResultFailsWithWorkerCrashed_AndThePoolReplacesIt()
    {
        WorkerCrashedException crash = Should.Throw<WorkerCrashedException>(
            () => Pool.ApplyAsync(Failing.Remote.ExitWorker, 3).Get(Patience));
        crash.ExitCode.ShouldBe(3);
        crash.ProcessId.ShouldNotBe(Environment.ProcessId);

        int[] pids = Pool.Map(Shapes.Remote.ProcessIdOf, Enumerable.Range(0, 20), chunkSize: 1);
        pids.ShouldNotContain(crash.ProcessId, "the crashed worker must not run anything again");
        Pool.Apply(Shapes.Remote.Square, 9).ShouldBe(81);
    }

    [Test]
    public void Map_AWorkerExitsOnOneItem_MapFailsWithWorkerCrashed_AndThePoolStaysUsable()
    {
        WorkerCrashedException crash = Should.Throw<WorkerCrashedException>(
            () => Pool.MapAsync(Failing.Remote.ExitOn7, Enumerable.Range(0, 20), chunkSize: 1).Get(Patience));
        crash.ExitCode.ShouldBe(7);
        Pool.Map(Failing.Remote.ExitOn7, Enumerable.Range(0, 7)).ShouldBe(Enumerable.Range(0, 7).ToArray());
    }

    [Test]
    public void WorkerStandardError_IsForwardedToTheParentsConsoleError()
    {
        using var capture = new ConsoleCapture(error: true);
        string line = "complaint-" + Guid.NewGuid().ToString("N");
        Pool.Apply(Failing.Remote.Complain, line);
        capture.WaitFor(line, Patience).ShouldBeTrue("the worker's stderr line never reached Console.Error");
    }

    [Test]
    public async Task CloseThenJoin_QueuedWorkFinishes_NewWorkIsRefused()
    {
        // Its own pool: closing the fixture's would end the other tests.
        await using var pool = new ProcessPool(2);
        AsyncResult<int[]> queued = pool.MapAsync(Shapes.Remote.Square, Enumerable.Range(0, 100), chunkSize: 1);
        Should.Throw<InvalidOperationException>(() => pool.Join(Patience), "Join before Close must throw");

        pool.Close();

        Should.Throw<InvalidOperationException>(() => pool.ApplyAsync(Shapes.Remote.Seed));
        pool.Join(Patience).ShouldBeTrue("the workers did not exit after Close");
        queued.Ready.ShouldBeTrue();
        (await queued).ShouldBe(Enumerable.Range(0, 100).Select(x => x * x).ToArray());
    }

    [Test]
    public void Terminate_FailsUnfinishedWorkPromptly()
    {
        using var pool = new ProcessPool(1);
        using var capture = new ConsoleCapture();
        string announce = "terminate-me-" + Guid.NewGuid().ToString("N");
        AsyncResult<int> running = pool.ApplyAsync(Shapes.Remote.BlockUntilCancelled, announce);
        AsyncResult<int> queued = pool.ApplyAsync(Shapes.Remote.Square, 2);
        capture.WaitFor(announce, Patience).ShouldBeTrue("the call never started");

        pool.Terminate();

        Assert.Catch<OperationCanceledException>(() => running.Get(Patience));
        Assert.Catch<OperationCanceledException>(() => queued.Get(Patience));
        pool.Join(Patience).ShouldBeTrue();
    }
}

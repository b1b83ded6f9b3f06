using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using NUnit.Framework;
using ParallelGen.Pool;
using ParallelGen.Scheduling;
using Shouldly;

namespace ParallelGen.Runtime.Tests.Scheduling;

/// <summary>
/// The scheduler on its own, against <see cref="FakeBackend"/>: every decision is observable as what a worker was
/// sent, and every event is the test's to give. Deterministic: no processes, no sleeps, a clock the test moves.
/// </summary>
public class SchedulerTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Test]
    public void StartsTheConfiguredNumberOfWorkers()
    {
        var backend = new FakeBackend();
        backend.CreateScheduler(new ProcessPoolOptions { Processes = 3 });
        backend.StartRequests.ShouldBe(3);
    }

    [Test]
    public void TasksGoOutInFifoOrder_OneAtATime_UntilCallsProveShort()
    {
        var backend = new FakeBackend();
        Scheduler scheduler = backend.CreateScheduler(new ProcessPoolOptions { Processes = 1 });
        var tasks = Enumerable.Range(1, 3).Select(x => FakeBackend.Square(x)).ToArray();
        scheduler.Submit(tasks.Select(t => t.Task).ToArray());
        FakeWorker worker = backend.Ready(100);

        worker.Sent.Count.ShouldBe(1, "a worker whose call length is unknown gets one call at a time");
        for (int i = 0; i < 3; i++)
        {
            worker.Sent[i].Id.ShouldBe(tasks[i].Task.CallId);
            backend.Now += 50; // long calls: no prefetching
            worker.Answer(i).ShouldBeTrue();
        }

        tasks.Select(t => t.Result.Get(s_wait)).ShouldBe(new[] { 1, 4, 9 });
    }

    [Test]
    public void ShortCalls_ArePipelined_UpToThePipelineDepth()
    {
        var backend = new FakeBackend();
        Scheduler scheduler = backend.CreateScheduler(new ProcessPoolOptions { Processes = 1 });
        FakeWorker worker = backend.Ready(100);
        var first = FakeBackend.Square(2);
        scheduler.Submit(new[] { first.Task });
        worker.Answer(0); // answered within the same millisecond: a short call

        scheduler.Submit(Enumerable.Range(0, 100).Select(x => FakeBackend.Square(x).Task).ToArray());
        (worker.Sent.Count - 1).ShouldBe(Scheduler.PipelineDepth);
    }

    [Test]
    public void AfterClose_TheLastAnswersResultIsSet_BeforeTheWorkerIsToldToGo()
    {
        var backend = new FakeBackend();
        Scheduler scheduler = backend.CreateScheduler(new ProcessPoolOptions { Processes = 1 });
        FakeWorker worker = backend.Ready(100);
        var tasks = Enumerable.Range(1, 3).Select(x => FakeBackend.Square(x)).ToArray();
        scheduler.Submit(tasks.Select(t => t.Task).ToArray());
        scheduler.Close();
        bool? readyWhenRetired = null;
        worker.OnRetire = () => readyWhenRetired = tasks.All(t => t.Result.Ready);
        for (int i = 0; i < 3; i++)
        {
            worker.Answer(i).ShouldBeTrue(); // each answer sends the next call, the last one retires the worker
        }

        worker.RetiredWith.ShouldBe(0);
        readyWhenRetired.ShouldBe(true, "Join after Close returns once workers are gone: every result must be set by then");
    }

    [Test]
    public void AnIdleWorker_WithdrawsACallWaitingBehindARunningOne()
    {
        var backend = new FakeBackend();
        Scheduler scheduler = backend.CreateScheduler(new ProcessPoolOptions { Processes = 2 });
        FakeWorker busy = backend.Ready(100);
        scheduler.Submit(new[] { FakeBackend.Square(1).Task });
        busy.Answer(0); // short: the next calls are pipelined onto it
        var waiting = Enumerable.Range(2, 3).Select(x => FakeBackend.Square(x)).ToArray();
        scheduler.Submit(waiting.Select(t => t.Task).ToArray());
        busy.Sent.Count.ShouldBe(4);

        FakeWorker idle = backend.Ready(200);
        busy.Withdrawn.ShouldHaveSingleItem().ShouldBe(waiting[1].Task.CallId, "the first call behind the running one");
        busy.GiveBack(2).ShouldBeTrue();
        idle.Sent.Single().Id.ShouldBe(waiting[1].Task.CallId);
        idle.Answer(0);
        waiting[1].Result.Get(s_wait).ShouldBe(9);
    }

    [Test]
    public void ALostWorkersRunningTask_RunsAgainElsewhere_WithMaxRetries()
    {
        var backend = new FakeBackend();
        Scheduler scheduler = backend.CreateScheduler(new ProcessPoolOptions { Processes = 1, MaxRetries = 1 });
        FakeWorker first = backend.Ready(100);
        var task = FakeBackend.Square(7);
        scheduler.Submit(new[] { task.Task });
        first.Lose(exitCode: 137);

        backend.StartRequests.ShouldBe(2, "a replacement was asked for");
        FakeWorker second = backend.Ready(200);
        second.Sent.Single().Id.ShouldBe(task.Task.CallId);
        second.Answer(0);
        task.Result.Get(s_wait).ShouldBe(49);
    }

    [Test]
    public void ALostWorker_FailsItsRunningTask_AndRequeuesTheOnesBehindIt()
    {
        var backend = new FakeBackend();
        Scheduler scheduler = backend.CreateScheduler(new ProcessPoolOptions { Processes = 1 });
        FakeWorker first = backend.Ready(100);
        scheduler.Submit(new[] { FakeBackend.Square(1).Task });
        first.Answer(0);
        var running = FakeBackend.Square(2);
        var behind = FakeBackend.Square(3);
        scheduler.Submit(new[] { running.Task, behind.Task });
        first.Sent.Count.ShouldBe(3);
        first.Lose(exitCode: 139);

        WorkerCrashedException crash = Should.Throw<WorkerCrashedException>(() => running.Result.Get(s_wait));
        crash.ExitCode.ShouldBe(139);
        crash.ProcessId.ShouldBe(100);
        FakeWorker second = backend.Ready(200);
        second.Sent.Single().Id.ShouldBe(behind.Task.CallId);
        second.Answer(0);
        behind.Result.Get(s_wait).ShouldBe(9);
    }

    [Test]
    public void AnOverdueTask_StopsItsWorker_AndFailsWithTimeoutException()
    {
        var backend = new FakeBackend();
        Scheduler scheduler = backend.CreateScheduler(new ProcessPoolOptions { Processes = 1, TaskTimeout = TimeSpan.FromSeconds(1) });
        FakeWorker worker = backend.Ready(100);
        var task = FakeBackend.Square(5);
        scheduler.Submit(new[] { task.Task });

        backend.Now += 999;
        scheduler.StopOverdueTasks();
        worker.Stopped.ShouldBeFalse("not overdue yet");
        backend.Now += 1;
        scheduler.StopOverdueTasks();
        worker.Stopped.ShouldBeTrue();

        worker.Lose();
        Should.Throw<TimeoutException>(() => task.Result.Get(s_wait)).Message.ShouldContain("TaskTimeout");
    }

    [Test]
    public void CancellingAQueuedTask_FailsIt_AndItNeverReachesAWorker()
    {
        var backend = new FakeBackend();
        Scheduler scheduler = backend.CreateScheduler(new ProcessPoolOptions { Processes = 1 });
        FakeWorker worker = backend.Ready(100);
        scheduler.Submit(new[] { FakeBackend.Square(1).Task });
        using var cancellation = new CancellationTokenSource();
        var queued = FakeBackend.Square(2, cancellation.Token);
        queued.Task.RegisterCancellation(scheduler.Cancel);
        scheduler.Submit(new[] { queued.Task });

        cancellation.Cancel();
        Should.Throw<OperationCanceledException>(() => queued.Result.Get(s_wait));
        backend.Now += 50;
        worker.Answer(0);
        worker.Sent.Count.ShouldBe(1);
        worker.Cancelled.ShouldBeEmpty();
    }

    [Test]
    public void CancellingARunningTask_SignalsTheWorker_AndItsAnswerBecomesACancellation()
    {
        var backend = new FakeBackend();
        Scheduler scheduler = backend.CreateScheduler(new ProcessPoolOptions { Processes = 1 });
        FakeWorker worker = backend.Ready(100);
        using var cancellation = new CancellationTokenSource();
        var running = FakeBackend.Square(2, cancellation.Token);
        running.Task.RegisterCancellation(scheduler.Cancel);
        scheduler.Submit(new[] { running.Task });

        cancellation.Cancel();
        worker.Cancelled.ShouldBe(new[] { running.Task.CallId });
        worker.Fail(0, new OperationCanceledException()).ShouldBeTrue();
        Should.Throw<OperationCanceledException>(() => running.Result.Get(s_wait));
    }

    [Test]
    public void ACrashInTheMiddleOfAMapChunk_FailsTheMap_AndCancelsItsOtherChunks()
    {
        var backend = new FakeBackend();
        Scheduler scheduler = backend.CreateScheduler(new ProcessPoolOptions { Processes = 2 });
        FakeWorker a = backend.Ready(100);
        FakeWorker b = backend.Ready(200);
        Exception? failure = null;
        using var failed = new ManualResetEventSlim();
        var map = new MapOperation<int, int>(
            HandWrittenJobs.Remote.Square, HandWrittenJobs.Remote.Square.Call, Enumerable.Range(0, 40).ToArray(), 10,
            _ => { }, error => { failure = error; failed.Set(); }, CancellationToken.None)
        { CancelChunk = scheduler.Cancel };
        scheduler.Submit(map.Tasks.ToArray());
        a.Sent.Count.ShouldBe(1);
        b.Sent.Count.ShouldBe(1);

        a.Lose(exitCode: 134);
        failed.Wait(s_wait).ShouldBeTrue();
        failure.ShouldBeOfType<WorkerCrashedException>().ExitCode.ShouldBe(134);
        b.Cancelled.ShouldHaveSingleItem().ShouldBe(b.Sent[0].Id, "the chunk still running elsewhere is cancelled");
        map.Tasks.Count(chunk => !chunk.IsDone).ShouldBe(1, "queued chunks fail at once; the running one when its worker answers");
        b.Fail(0, new OperationCanceledException()).ShouldBeTrue();
        map.Tasks.ShouldAllBe(chunk => chunk.IsDone);
    }

    [Test]
    public void Terminate_FailsQueuedAndRunningWork_AndStopsTheBackend()
    {
        var backend = new FakeBackend();
        Scheduler scheduler = backend.CreateScheduler(new ProcessPoolOptions { Processes = 1 });
        FakeWorker worker = backend.Ready(100);
        var running = FakeBackend.Square(1);
        var queued = FakeBackend.Square(2);
        scheduler.Submit(new[] { running.Task, queued.Task });

        scheduler.Terminate();
        Should.Throw<PoolTerminatedException>(() => running.Result.Get(s_wait));
        Should.Throw<PoolTerminatedException>(() => queued.Result.Get(s_wait));
        backend.Terminated.ShouldBeTrue();
        worker.Answer(0).ShouldBeTrue("a late answer after Terminate is moot, not a protocol violation");
        Should.Throw<InvalidOperationException>(() => scheduler.Submit(new[] { FakeBackend.Square(3).Task })).Message.ShouldContain("terminated");
    }

    [Test]
    public void AnAnswerForACallTheWorkerNeverHad_IsAProtocolViolation()
    {
        var backend = new FakeBackend();
        backend.CreateScheduler(new ProcessPoolOptions { Processes = 1 });
        FakeWorker worker = backend.Ready(100);
        backend.Events.OnAnswered(worker, 123456, ReadOnlySpan<byte>.Empty).ShouldBeFalse();
        backend.Events.OnWithdrawn(worker, 123456).ShouldBeFalse();
    }

    [Test]
    public void TheInitializer_GoesFirst_AndGatesTheWorkersTasks()
    {
        var backend = new FakeBackend();
        Scheduler scheduler = backend.CreateScheduler(new ProcessPoolOptions
        {
            Processes = 1,
            Initializer = ProcessInitializer.Create(HandWrittenJobs.Remote.Square, 0),
        });
        var task = FakeBackend.Square(4);
        scheduler.Submit(new[] { task.Task });
        FakeWorker worker = backend.Ready(100);

        worker.Sent.Count.ShouldBe(1, "only the initializer until it has finished");
        worker.Sent[0].Id.ShouldNotBe(task.Task.CallId);
        worker.Answer(0);
        worker.Sent.Count.ShouldBe(2);
        worker.Sent[1].Id.ShouldBe(task.Task.CallId);
    }

    [Test]
    public void MaxTasksPerChild_RetiresAWorkerAfterItsQuota_AndStartsAnother()
    {
        var backend = new FakeBackend();
        Scheduler scheduler = backend.CreateScheduler(new ProcessPoolOptions { Processes = 1, MaxTasksPerChild = 2 });
        FakeWorker worker = backend.Ready(100);
        scheduler.Submit(Enumerable.Range(0, 3).Select(x => FakeBackend.Square(x).Task).ToArray());
        backend.Now += 50;
        worker.Answer(0);
        backend.Now += 50;
        worker.Answer(1);

        worker.Sent.Count.ShouldBe(2, "its quota is used up");
        worker.RetiredWith.ShouldBe(0);
        backend.StartRequests.ShouldBe(2);
        worker.Lose(exitCode: 0);
        FakeWorker next = backend.Ready(200);
        next.Sent.Count.ShouldBe(1);
    }

    [Test]
    public void MaxWorkerMemory_AWorkerOverTheLimit_TakesNothingNew_FinishesWhatItHolds_ThenIsReplaced()
    {
        var backend = new FakeBackend();
        Scheduler scheduler = backend.CreateScheduler(new ProcessPoolOptions { Processes = 1, MaxWorkerMemory = 1_000 });
        FakeWorker worker = backend.Ready(100);
        scheduler.Submit(Enumerable.Range(0, 6).Select(x => FakeBackend.Square(x).Task).ToArray());

        worker.ResidentBytes = 1_000; // at the limit, not over it
        backend.Now += 5;
        worker.Answer(0);
        worker.RetiredWith.ShouldBeNull();

        worker.ResidentBytes = 1_001;
        backend.Now += 5;
        worker.Answer(1);
        int sent = worker.Sent.Count;
        for (int held = 2; held < sent; held++)
        {
            worker.RetiredWith.ShouldBeNull("it still holds calls");
            backend.Now += 5;
            worker.Answer(held);
        }

        worker.Sent.Count.ShouldBe(sent, "nothing new after it went over the limit");
        worker.RetiredWith.ShouldBe(0);
        backend.StartRequests.ShouldBe(2);
        worker.Lose(exitCode: 0);
        FakeWorker next = backend.Ready(200);
        next.Sent.Count.ShouldBeGreaterThan(0);
    }

    [Test]
    public void WorkersThatNeverStart_FailQueuedAndLaterWork_WithWorkerStartException()
    {
        var backend = new FakeBackend();
        Scheduler scheduler = backend.CreateScheduler(new ProcessPoolOptions { Processes = 1 });
        var queued = FakeBackend.Square(1);
        scheduler.Submit(new[] { queued.Task });
        backend.StartRequests.ShouldBe(1);

        backend.Events.OnStartFailed(new WorkerStartException("exited before connecting"), mayRetry: true);
        backend.StartRequests.ShouldBe(1, "the next start waits for its back-off");
        queued.Result.Ready.ShouldBeFalse("queued work waits while a start may still pass");
        backend.RunDeferred().ShouldBe(TimeSpan.FromMilliseconds(100));
        backend.StartRequests.ShouldBe(2);

        backend.Events.OnStartFailed(new WorkerStartException("exited before connecting"), mayRetry: true);
        backend.RunDeferred().ShouldBe(TimeSpan.FromMilliseconds(200));
        backend.StartRequests.ShouldBe(3);

        backend.Events.OnStartFailed(new WorkerStartException("exited before connecting"), mayRetry: true);
        backend.Deferred.ShouldBeEmpty("three failures in a row with no worker left: no more starts");
        Should.Throw<WorkerStartException>(() => queued.Result.Get(s_wait));
        var later = FakeBackend.Square(2);
        scheduler.Submit(new[] { later.Task });
        Should.Throw<WorkerStartException>(() => later.Result.Get(s_wait));
        backend.StartRequests.ShouldBe(3);
    }

    [Test]
    public void AStartThatCannotPass_WithNoWorkerLeft_FailsQueuedWorkAtOnce()
    {
        var backend = new FakeBackend();
        Scheduler scheduler = backend.CreateScheduler(new ProcessPoolOptions { Processes = 1 });
        var queued = FakeBackend.Square(1);
        scheduler.Submit(new[] { queued.Task });

        backend.Events.OnStartFailed(new WorkerStartException("no such host"), mayRetry: false);

        Should.Throw<WorkerStartException>(() => queued.Result.Get(s_wait)).Message.ShouldBe("no such host");
        backend.Deferred.ShouldBeEmpty();
        scheduler.StartFailure.ShouldNotBeNull();
    }

    [Test]
    public void AReplacementThatCannotStart_WhileAnotherWorkerServes_FailsNothing_AndIsStartedAgainUntilItStarts()
    {
        var backend = new FakeBackend();
        Scheduler scheduler = backend.CreateScheduler(new ProcessPoolOptions { Processes = 2 });
        FakeWorker serving = backend.Ready(100);

        // The other start fails, again and again, even with an error that would end a pool with no worker left.
        var delays = new List<TimeSpan>();
        for (int failure = 1; failure <= 8; failure++)
        {
            backend.Events.OnStartFailed(new WorkerStartException("out of file descriptors"), mayRetry: failure % 2 == 0);
            scheduler.StartFailure.ShouldBeNull("a worker still serves");
            delays.Add(backend.RunDeferred());
        }

        delays.ShouldBe(new[] { 100, 200, 400, 800, 1600, 3200, 5000, 5000 }.Select(ms => TimeSpan.FromMilliseconds(ms)));
        backend.StartRequests.ShouldBe(2 + 8);

        var call = FakeBackend.Square(3);
        scheduler.Submit(new[] { call.Task });
        serving.Sent.Count.ShouldBe(1, "the serving worker takes the work meanwhile");
        serving.Answer(0);
        call.Result.Get(s_wait).ShouldBe(9);

        // The start that finally works resets the back-off.
        backend.Ready(101);
        backend.Events.OnStartFailed(new WorkerStartException("out of file descriptors"), mayRetry: true);
        backend.RunDeferred().ShouldBe(TimeSpan.FromMilliseconds(100));
    }

    [Test]
    public void AStartDueAfterItsBackOff_IsSkipped_WhenThePoolNoLongerWantsWorkers()
    {
        var backend = new FakeBackend();
        Scheduler scheduler = backend.CreateScheduler(new ProcessPoolOptions { Processes = 2 });
        backend.Ready(100);
        backend.Events.OnStartFailed(new WorkerStartException("out of processes"), mayRetry: true);

        scheduler.Close();
        backend.RunDeferred();

        backend.StartRequests.ShouldBe(2, "closed with nothing queued: no new worker");
    }
}

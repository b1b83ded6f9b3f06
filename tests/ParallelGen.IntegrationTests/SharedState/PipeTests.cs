using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using ParallelGen.IntegrationTests.Infrastructure;
using ParallelGen.IntegrationTests.Jobs;
using Shouldly;

namespace ParallelGen.IntegrationTests.SharedState;

/// <summary><see cref="ProcessPipe{T}"/> with real workers: order, duplex, timeouts, end-of-stream, a killed peer.</summary>
public class PipeTests : PoolFixture
{
    [Test]
    public void Pipe_Duplex_AnswersArriveInOrder()
    {
        var (mine, theirs) = ProcessPipe.Create<string>();
        AsyncResult<int> echo = Pool.ApplyAsync(SharedStateJobs.Remote.Echo, theirs);
        for (int i = 0; i < 200; i++)
        {
            mine.Send("m" + i);
        }

        for (int i = 0; i < 200; i++)
        {
            mine.Receive(Patience).ShouldBe("M" + i);
        }

        mine.Send("stop");
        echo.Get(Patience).ShouldBe(200);

        // The worker closed its end: what follows is end-of-stream, at once and every time.
        Should.Throw<EndOfStreamException>(() => mine.Receive(Patience));
        mine.Poll(Patience).ShouldBeTrue();
        Should.Throw<EndOfStreamException>(() => mine.TryReceive(out _));
        Should.Throw<IOException>(() => mine.Send("late")).ShouldNotBeOfType<EndOfStreamException>();
    }

    [Test]
    public void Pipe_WorkerProcessExits_TheOtherEndReceivesEverythingThenEndOfStream()
    {
        var (mine, theirs) = ProcessPipe.Create<int>();
        WorkerProcess process = WorkerProcess.Start(SharedStateJobs.Remote.SendNumbers, (theirs, 1000));
        theirs.Close(); // Python's recipe: the parent closes its copy; the worker's end stays open.
        process.Join(Patience).ShouldBeTrue();

        Enumerable.Range(0, 1000).Select(_ => mine.Receive(Patience)).ShouldBe(Enumerable.Range(0, 1000));
        Should.Throw<EndOfStreamException>(() => mine.Receive());
    }

    [Test]
    public void Pipe_WorkerKilledMidConversation_SentItemsThenEndOfStream()
    {
        var (mine, theirs) = ProcessPipe.Create<int>();
        using var sent = new ProcessEvent();
        WorkerProcess process = WorkerProcess.Start(SharedStateJobs.Remote.SendNumbersThenHang, (theirs, 50, sent));
        sent.Wait(Patience).ShouldBeTrue();
        process.Kill();

        Enumerable.Range(0, 50).Select(_ => mine.Receive(Patience)).ShouldBe(Enumerable.Range(0, 50));
        Should.Throw<EndOfStreamException>(() => mine.Receive());
        Should.Throw<WorkerCrashedException>(() => process.Result.Get(Patience));
    }

    [Test]
    public void Pipe_TwoWorkerProcessesTalkToEachOther()
    {
        var (producerEnd, consumerEnd) = ProcessPipe.Create<int>();
        WorkerProcess<long> consumer = WorkerProcess.Start(SharedStateJobs.Remote.SumUntilEnd, consumerEnd);
        WorkerProcess producer = WorkerProcess.Start(SharedStateJobs.Remote.SendNumbers, (producerEnd, 10_000));
        producerEnd.Close();
        consumerEnd.Close();

        consumer.Result.Get(Patience).ShouldBe(Enumerable.Range(0, 10_000).Sum(i => (long)i));
        producer.Join(Patience).ShouldBeTrue();
        consumer.Join(Patience).ShouldBeTrue();
        consumer.ExitCode.ShouldBe(0);
    }

    [Test]
    public void Pipe_ReceiveTimeouts_InTheCallerAndInAWorker()
    {
        var (mine, theirs) = ProcessPipe.Create<int>();
        Should.Throw<TimeoutException>(() => mine.Receive(TimeSpan.FromMilliseconds(20)));
        mine.TryReceive(out _).ShouldBeFalse();
        mine.Poll(TimeSpan.Zero).ShouldBeFalse();
        Pool.Apply(SharedStateJobs.Remote.ReceiveOutcome, (theirs, 20)).ShouldBe(nameof(TimeoutException));

        mine.Send(7);
        Pool.Apply(SharedStateJobs.Remote.ReceiveOutcome, (theirs, -1)).ShouldBe("received 7");
    }

    [Test]
    public void Pipe_CallerClosesItsEnd_WorkerGetsEndOfStreamAfterDraining()
    {
        var (mine, theirs) = ProcessPipe.Create<int>();
        mine.Send(1);
        mine.Close();
        Pool.Apply(SharedStateJobs.Remote.ReceiveOutcome, (theirs, -1)).ShouldBe("received 1");
        Pool.Apply(SharedStateJobs.Remote.ReceiveOutcome, (theirs, -1)).ShouldBe(nameof(EndOfStreamException));
        Should.Throw<ObjectDisposedException>(() => mine.Send(2));
    }

    [Test]
    public async System.Threading.Tasks.Task Pipe_ReceiveAsync_WaitsWithoutAThreadAndCanBeCancelled()
    {
        var (mine, theirs) = ProcessPipe.Create<int>();
        using var cancel = new System.Threading.CancellationTokenSource();
        System.Threading.Tasks.ValueTask<int> pending = mine.ReceiveAsync(cancel.Token);
        pending.IsCompleted.ShouldBeFalse();
        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(async () => await pending);

        WorkerProcess process = WorkerProcess.Start(SharedStateJobs.Remote.SendNumbers, (theirs, 3));
        (await mine.ReceiveAsync()).ShouldBe(0);
        (await mine.ReceiveAsync()).ShouldBe(1);
        (await mine.ReceiveAsync()).ShouldBe(2);
        process.Join(Patience).ShouldBeTrue();
        await Should.ThrowAsync<EndOfStreamException>(async () => await mine.ReceiveAsync());
    }

    [Test]
    public void Pipe_PoolTerminated_CallersEndSeesEndOfStreamNotAHang()
    {
        var (mine, theirs) = ProcessPipe.Create<int>();
        using var sent = new ProcessEvent();
        var pool = new ProcessPool(1);
        pool.ApplyAsync(SharedStateJobs.Remote.SendNumbersThenHang, (theirs, 5, sent));
        sent.Wait(Patience).ShouldBeTrue();
        pool.Terminate();

        Enumerable.Range(0, 5).Select(_ => mine.Receive(Patience)).ShouldBe(Enumerable.Range(0, 5));
        Should.Throw<EndOfStreamException>(() => mine.Receive(Patience));
        pool.Dispose();
    }
}

using System;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

public class ApplyTests
{
    private static ProcessPool Pool => SharedPool.Pool;

    [Test]
    public void Apply_SingleArgument_ReturnsWorkersResult() =>
        Pool.Apply(HandWrittenJobs.Remote.Square, 7).ShouldBe(49);

    [Test]
    public void Apply_RunsInAnotherProcess() =>
        Pool.Apply(HandWrittenJobs.Remote.ProcessId).ShouldNotBe(Environment.ProcessId);

    [Test]
    public void ProcessWorker_IsWorker_TrueOnlyInsideAWorker()
    {
        Pool.Apply(HandWrittenJobs.Remote.InWorker).ShouldBeTrue();
        ProcessWorker.IsWorker.ShouldBeFalse();
    }

    [Test]
    public void Apply_SeveralParameters_TakesOneTuple() =>
        Pool.Apply(HandWrittenJobs.Remote.Dot, (new[] { 1.0, 2.0, 3.0 }, new[] { 4.0, 5.0, 6.0 })).ShouldBe(32.0);

    [Test]
    public void Apply_VoidMethod_ItsConsoleOutputReachesTheParentBeforeItReturns()
    {
        using var capture = new ConsoleCapture();
        Pool.Apply(HandWrittenJobs.Remote.Print, "hello from a worker");
        capture.Text.ShouldContain("hello from a worker");
    }

    [Test]
    public async Task ApplyAsync_AsyncMethod_IsAwaitedInTheWorker() =>
        (await Pool.ApplyAsync(HandWrittenJobs.Remote.EchoAsync, "k")).ShouldBe("echo:k");

    [Test]
    public void ApplyAsync_Callback_RunsBeforeTheResultIsReady()
    {
        int seen = 0;
        AsyncResult<int> result = Pool.ApplyAsync(HandWrittenJobs.Remote.Square, 9, callback: value => seen = value);
        result.Get().ShouldBe(81);
        seen.ShouldBe(81);
        result.Successful.ShouldBeTrue();
    }

    [Test]
    public void ApplyAsync_ErrorCallback_ReceivesTheRemoteException()
    {
        Exception? seen = null;
        AsyncResult<int> result = Pool.ApplyAsync(HandWrittenJobs.Remote.Fail, "boom", errorCallback: error => seen = error);
        Should.Throw<RemoteException>(() => result.Get());
        seen.ShouldBeOfType<RemoteException>().Message.ShouldBe("boom");
        result.Successful.ShouldBeFalse();
    }

    [Test]
    public void ApplyAsync_ThrowingCallback_BecomesTheResultsError()
    {
        AsyncResult<int> result = Pool.ApplyAsync(HandWrittenJobs.Remote.Square, 3, callback: _ => throw new FormatException("callback failed"));
        Should.Throw<FormatException>(() => result.Get()).Message.ShouldBe("callback failed");
        Pool.Apply(HandWrittenJobs.Remote.Square, 4).ShouldBe(16); // the pool is unaffected
    }

    [Test]
    public void Get_MethodThrew_RaisesRemoteExceptionWithTypeMessageStackAndInner()
    {
        RemoteException error = Should.Throw<RemoteException>(() => Pool.Apply(HandWrittenJobs.Remote.Fail, "bad input"));
        error.RemoteType.ShouldBe("System.InvalidOperationException");
        error.Message.ShouldBe("bad input");
        error.RemoteStackTrace.ShouldNotBeNull().ShouldContain(nameof(HandWrittenJobs.Fail));
        error.WorkerProcessId.ShouldNotBe(Environment.ProcessId);
        RemoteException inner = error.InnerException.ShouldBeOfType<RemoteException>();
        inner.RemoteType.ShouldBe("System.ArgumentException");
        inner.Message.ShouldBe("inner bad input");
        error.ToString().ShouldContain("System.InvalidOperationException: bad input");
        error.ToString().ShouldContain("inner bad input");
        error.ToString().ShouldContain(nameof(HandWrittenJobs.Fail));
    }

    [Test]
    public void AsyncResult_WhileRunning_IsNotReadyAndGetTimesOut()
    {
        using var capture = new ConsoleCapture();
        using var cancellation = new CancellationTokenSource();
        AsyncResult<int> result = Pool.ApplyAsync(HandWrittenJobs.Remote.WaitForCancellation, "running-1", cancellationToken: cancellation.Token);
        capture.WaitFor("running-1", TimeSpan.FromSeconds(30)).ShouldBeTrue();

        result.Ready.ShouldBeFalse();
        Should.Throw<InvalidOperationException>(() => result.Successful);
        Should.Throw<TimeoutException>(() => result.Get(TimeSpan.FromMilliseconds(50)));
        result.Wait(TimeSpan.FromMilliseconds(50)).ShouldBeFalse();

        cancellation.Cancel();
        Should.Throw<OperationCanceledException>(() => result.Get());
        result.Ready.ShouldBeTrue();
        result.Successful.ShouldBeFalse();
    }

    [Test]
    public void Cancel_RunningTask_SignalsTheMethodsToken()
    {
        using var capture = new ConsoleCapture();
        using var cancellation = new CancellationTokenSource();
        AsyncResult<int> result = Pool.ApplyAsync(HandWrittenJobs.Remote.WaitForCancellation, "running-2", cancellationToken: cancellation.Token);
        capture.WaitFor("running-2", TimeSpan.FromSeconds(30)).ShouldBeTrue();
        cancellation.Cancel();
        Should.Throw<OperationCanceledException>(() => result.Get(TimeSpan.FromSeconds(30)));
        Pool.Apply(HandWrittenJobs.Remote.Square, 5).ShouldBe(25);
    }

    [Test]
    public void Cancel_QueuedTask_FailsAtOnceWithoutRunning()
    {
        using var pool = new ProcessPool(1);
        using var capture = new ConsoleCapture();
        using var blocker = new CancellationTokenSource();
        using var cancellation = new CancellationTokenSource();
        AsyncResult<int> busy = pool.ApplyAsync(HandWrittenJobs.Remote.WaitForCancellation, "busy", cancellationToken: blocker.Token);
        capture.WaitFor("busy", TimeSpan.FromSeconds(30)).ShouldBeTrue();
        AsyncResult queued = pool.ApplyAsync(HandWrittenJobs.Remote.Print, "must never print", cancellationToken: cancellation.Token);
        AsyncResult<int> queuedBehind = pool.ApplyAsync(HandWrittenJobs.Remote.Square, 6, cancellationToken: cancellation.Token);

        cancellation.Cancel();
        // Both fail while the only worker is still busy: nothing waits for it.
        Should.Throw<OperationCanceledException>(() => queued.Get(TimeSpan.FromSeconds(30)));
        Should.Throw<OperationCanceledException>(() => queuedBehind.Get(TimeSpan.FromSeconds(30)));
        busy.Ready.ShouldBeFalse();

        blocker.Cancel();
        Should.Throw<OperationCanceledException>(() => busy.Get());
        pool.Apply(HandWrittenJobs.Remote.Square, 2).ShouldBe(4);
        capture.Text.ShouldNotContain("must never print");
    }

    [Test]
    public void IdleWorker_TakesOverACallWaitingBehindALongOne()
    {
        using var pool = new ProcessPool(2);
        pool.Map(HandWrittenJobs.Remote.Square, new[] { 1, 2 }, chunkSize: 1); // both workers connected
        using var capture = new ConsoleCapture();
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        AsyncResult<int> long1 = pool.ApplyAsync(HandWrittenJobs.Remote.WaitForCancellation, "long-1", cancellationToken: first.Token);
        AsyncResult<int> long2 = pool.ApplyAsync(HandWrittenJobs.Remote.WaitForCancellation, "long-2", cancellationToken: second.Token);
        capture.WaitFor("long-1", TimeSpan.FromSeconds(30)).ShouldBeTrue();
        capture.WaitFor("long-2", TimeSpan.FromSeconds(30)).ShouldBeTrue();
        AsyncResult<int> quick = pool.ApplyAsync(HandWrittenJobs.Remote.Square, 11); // pipelined behind one of them

        second.Cancel(); // one worker falls idle while the other stays busy

        quick.Get(TimeSpan.FromSeconds(30)).ShouldBe(121);
        long1.Ready.ShouldBeFalse();
        first.Cancel();
        Should.Throw<OperationCanceledException>(() => long1.Get());
    }

    [Test]
    public void ApplyAsync_TensOfThousandsInFlight_AllCompleteCorrectly()
    {
        const int count = 20_000;
        var results = new AsyncResult<int>[count];
        for (int i = 0; i < count; i++)
        {
            results[i] = Pool.ApplyAsync(HandWrittenJobs.Remote.Square, i);
        }

        for (int i = 0; i < count; i++)
        {
            results[i].Get().ShouldBe(i * i);
        }
    }
}

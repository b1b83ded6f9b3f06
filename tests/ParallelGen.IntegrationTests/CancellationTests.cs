using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using ParallelGen.IntegrationTests.Infrastructure;
using ParallelGen.IntegrationTests.Jobs;
using Shouldly;

namespace ParallelGen.IntegrationTests;

/// <summary>
/// The caller's <c>cancellationToken</c> reaches a method's <see cref="CancellationToken"/> parameter in the worker.
/// Tests synchronise on events (a line the worker writes, forwarded to this process's console), never on sleeps.
/// </summary>
public class CancellationTests : PoolFixture
{
    [Test]
    public void ApplyAsync_CancelRunningCall_SignalsItsTokenInTheWorker_ResultFailsWithOperationCanceled()
    {
        using var capture = new ConsoleCapture();
        using var cancellation = new CancellationTokenSource();
        string announce = "running-" + Guid.NewGuid().ToString("N");

        AsyncResult<int> result = Pool.ApplyAsync(Shapes.Remote.BlockUntilCancelled, announce, cancellationToken: cancellation.Token);
        capture.WaitFor(announce, Patience).ShouldBeTrue("the call never started in a worker");
        result.Ready.ShouldBeFalse();

        cancellation.Cancel();

        Assert.Catch<OperationCanceledException>(() => result.Get(Patience));
        Pool.Apply(Shapes.Remote.Square, 5).ShouldBe(25, "the pool stays usable");
    }

    [Test]
    public async Task ApplyAsync_CancelRunningAsyncMethod_AwaitThrowsOperationCanceled()
    {
        using var capture = new ConsoleCapture();
        using var cancellation = new CancellationTokenSource();
        string announce = "delaying-" + Guid.NewGuid().ToString("N");

        AsyncResult<int> result = Pool.ApplyAsync(Shapes.Remote.DelayUntilCancelledAsync, announce, cancellationToken: cancellation.Token);
        capture.WaitFor(announce, Patience).ShouldBeTrue("the call never started in a worker");

        await cancellation.CancelAsync();

        Assert.CatchAsync<OperationCanceledException>(async () => await result.AsTask().WaitAsync(Patience));
        (await Pool.ApplyAsync(Shapes.Remote.Square, 6)).ShouldBe(36);
    }

    [Test]
    public async Task Apply_BlockingCallCancelledFromAnotherThread_ThrowsOperationCanceled()
    {
        using var capture = new ConsoleCapture();
        using var cancellation = new CancellationTokenSource();
        string announce = "sync-" + Guid.NewGuid().ToString("N");

        Task<int> call = Task.Run(() => Pool.Apply(Shapes.Remote.BlockUntilCancelled, announce, cancellationToken: cancellation.Token));
        capture.WaitFor(announce, Patience).ShouldBeTrue("the call never started in a worker");

        await cancellation.CancelAsync();

        Assert.CatchAsync<OperationCanceledException>(async () => await call.WaitAsync(Patience));
    }

    [Test]
    public void ApplyAsync_CancelQueuedCall_FailsItPromptlyWithoutRunningIt()
    {
        // A pool of its own with one worker: while that worker runs the blocking call, the next call is certainly
        // queued (in the pool or behind it in the worker), whatever calls earlier tests left in flight.
        using var pool = new ProcessPool(1);
        using var capture = new ConsoleCapture();
        using var blocker = new CancellationTokenSource();
        using var cancellation = new CancellationTokenSource();
        string announce = "busy-" + Guid.NewGuid().ToString("N");
        string queuedLine = "queued-" + Guid.NewGuid().ToString("N");

        AsyncResult<int> busy = pool.ApplyAsync(Shapes.Remote.BlockUntilCancelled, announce, cancellationToken: blocker.Token);
        try
        {
            capture.WaitFor(announce, Patience).ShouldBeTrue("the blocking call never started");
            AsyncResult queued = pool.ApplyAsync(Shapes.Remote.Say, queuedLine, cancellationToken: cancellation.Token);
            queued.Ready.ShouldBeFalse();

            cancellation.Cancel();

            // Promptly: while the only worker is still busy with the blocking call.
            Assert.Catch<OperationCanceledException>(() => queued.Get(Patience));
            busy.Ready.ShouldBeFalse();

            blocker.Cancel();
            Assert.Catch<OperationCanceledException>(() => busy.Get(Patience));
            pool.Apply(Shapes.Remote.Seed).ShouldBe(42);
            capture.Text.ShouldNotContain(queuedLine, customMessage: "a cancelled queued call must never run");
        }
        finally
        {
            blocker.Cancel();
        }
    }

    [Test]
    public void ApplyAsync_TokenAlreadyCancelled_FailsWithOperationCanceled_AndNeverRuns()
    {
        // One submission would pass or fail by chance (the race is between sending the call to an idle worker and
        // registering the cancellation); many make the outcome certain either way.
        using var capture = new ConsoleCapture();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        string tag = "precancelled-" + Guid.NewGuid().ToString("N");
        int ran = 0;
        int succeeded = 0;
        const int Calls = 200;
        for (int i = 0; i < Calls; i++)
        {
            AsyncResult result = Pool.ApplyAsync(Shapes.Remote.Say, $"{tag}:{i};", cancellationToken: cancellation.Token);
            result.Wait(Patience).ShouldBeTrue();
            if (result.Successful)
            {
                succeeded++;
            }
            else
            {
                Assert.Catch<OperationCanceledException>(() => result.Get());
            }
        }

        Pool.Apply(Shapes.Remote.Seed).ShouldBe(42); // flushes any output still on its way
        for (int i = 0; i < Calls; i++)
        {
            if (capture.Text.Contains($"{tag}:{i};", StringComparison.Ordinal))
            {
                ran++;
            }
        }

        succeeded.ShouldBe(0, $"{succeeded} of {Calls} calls made with an already-cancelled token succeeded ({ran} ran)");
        ran.ShouldBe(0, $"{ran} of {Calls} calls made with an already-cancelled token ran in a worker");
    }

    [Test]
    public void MapAsync_CancelWhileItemsRun_FailsWithOperationCanceled()
    {
        using var capture = new ConsoleCapture();
        using var cancellation = new CancellationTokenSource();
        string tag = "map-" + Guid.NewGuid().ToString("N");

        AsyncResult<int[]> result = Pool.MapAsync(
            Shapes.Remote.BlockUntilCancelled,
            Enumerable.Range(0, 6).Select(i => $"{tag}-{i}"),
            chunkSize: 1,
            cancellationToken: cancellation.Token);
        capture.WaitFor(tag + "-0", Patience).ShouldBeTrue("the first item never started");

        cancellation.Cancel();

        Assert.Catch<OperationCanceledException>(() => result.Get(Patience));
        Pool.Map(Shapes.Remote.Square, [1, 2, 3]).ShouldBe([1, 4, 9]);
    }
}

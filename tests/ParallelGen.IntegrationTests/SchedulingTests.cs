using System;
using System.Threading;
using NUnit.Framework;
using ParallelGen.IntegrationTests.Infrastructure;
using ParallelGen.IntegrationTests.Jobs;
using Shouldly;

namespace ParallelGen.IntegrationTests;

/// <summary>Which worker runs what: like Python's Pool, a worker that becomes free takes the next queued call.</summary>
public class SchedulingTests : PoolFixture
{
    [Test]
    public void QueuedCalls_RunOnTheWorkerThatBecomesFree_NotBehindALongCallInTheOther()
    {
        using var capture = new ConsoleCapture();
        using var longCall = new CancellationTokenSource();
        using var shortCall = new CancellationTokenSource();
        string tag = "hol-" + Guid.NewGuid().ToString("N");

        // Both workers busy: one with a call that runs until the end of the test, one with a call we end soon.
        AsyncResult<int> runsLong = Pool.ApplyAsync(Shapes.Remote.BlockUntilCancelled, tag + "-long", cancellationToken: longCall.Token);
        capture.WaitFor(tag + "-long", Patience).ShouldBeTrue("the long call never started");
        AsyncResult<int> endsSoon = Pool.ApplyAsync(Shapes.Remote.BlockUntilCancelled, tag + "-short", cancellationToken: shortCall.Token);
        capture.WaitFor(tag + "-short", Patience).ShouldBeTrue("the second call never started although a worker was free");
        try
        {
            // Two more calls queue while both workers are busy.
            AsyncResult first = Pool.ApplyAsync(Shapes.Remote.Say, tag + "-first");
            AsyncResult second = Pool.ApplyAsync(Shapes.Remote.Say, tag + "-second");

            // Free one worker: it should run both queued calls, in order, while the other is still busy.
            shortCall.Cancel();
            Assert.Catch<OperationCanceledException>(() => endsSoon.Get(Patience));

            first.Wait(Patience).ShouldBeTrue("the first queued call did not run on the free worker");
            second.Wait(Patience).ShouldBeTrue("the second queued call did not run on the free worker");
            runsLong.Ready.ShouldBeFalse();
            capture.Text.IndexOf(tag + "-first", StringComparison.Ordinal)
                .ShouldBeLessThan(capture.Text.IndexOf(tag + "-second", StringComparison.Ordinal), "queued calls start in FIFO order");
        }
        finally
        {
            longCall.Cancel();
            shortCall.Cancel();
            runsLong.Wait(Patience);
        }
    }
}

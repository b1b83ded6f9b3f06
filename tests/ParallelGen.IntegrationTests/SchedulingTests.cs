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
    /// <summary>Starting a call on an idle worker takes milliseconds; this is generous even for a loaded machine.</summary>
    private static readonly TimeSpan s_startBound = TimeSpan.FromSeconds(15);

    [Test]
    public void NewPool_TwoCallsSubmittedAtOnce_RunAtOnceInTwoWorkers()
    {
        // A pool of its own, used at once: the second call must not wait behind the first in whichever worker
        // connected first.
        using var pool = new ProcessPool(2);
        using var capture = new ConsoleCapture();
        using var cancellation = new CancellationTokenSource();
        string tag = "fresh-" + Guid.NewGuid().ToString("N");
        AsyncResult<int> first = pool.ApplyAsync(Shapes.Remote.BlockUntilCancelled, tag + "-a", cancellationToken: cancellation.Token);
        AsyncResult<int> second = pool.ApplyAsync(Shapes.Remote.BlockUntilCancelled, tag + "-b", cancellationToken: cancellation.Token);
        try
        {
            capture.WaitFor(tag + "-a", s_startBound).ShouldBeTrue("the first call never started");
            capture.WaitFor(tag + "-b", s_startBound).ShouldBeTrue("the second call did not start: it waits behind the first in one worker");
        }
        finally
        {
            cancellation.Cancel();
            first.Wait(Patience);
            second.Wait(Patience);
        }
    }

    [Test]
    public void QueuedCalls_RunOnTheWorkerThatBecomesFree_NotBehindALongCallInTheOther()
    {
        using var capture = new ConsoleCapture();
        using var longCall = new CancellationTokenSource();
        using var shortCall = new CancellationTokenSource();
        string tag = "hol-" + Guid.NewGuid().ToString("N");

        // Both workers busy: one with a call that runs until the end of the test, one with a call we end soon.
        AsyncResult<int> runsLong = Pool.ApplyAsync(Shapes.Remote.BlockUntilCancelled, tag + "-long", cancellationToken: longCall.Token);
        capture.WaitFor(tag + "-long", s_startBound).ShouldBeTrue("the long call never started");
        AsyncResult<int> endsSoon = Pool.ApplyAsync(Shapes.Remote.BlockUntilCancelled, tag + "-short", cancellationToken: shortCall.Token);
        capture.WaitFor(tag + "-short", s_startBound).ShouldBeTrue("the second call never started although a worker was free");
        try
        {
            // Two more calls queue while both workers are busy.
            AsyncResult first = Pool.ApplyAsync(Shapes.Remote.Say, tag + "-first");
            AsyncResult second = Pool.ApplyAsync(Shapes.Remote.Say, tag + "-second");

            // Free one worker: it should run both queued calls while the other is still busy. (Their start order is
            // not asserted: a call withdrawn from the busy worker may start after one queued later.)
            shortCall.Cancel();
            Assert.Catch<OperationCanceledException>(() => endsSoon.Get(Patience));

            first.Wait(s_startBound).ShouldBeTrue("the first queued call did not run on the free worker");
            second.Wait(s_startBound).ShouldBeTrue("the second queued call did not run on the free worker");
            first.Get();
            second.Get();
            runsLong.Ready.ShouldBeFalse("the long call must still be running");
        }
        finally
        {
            longCall.Cancel();
            shortCall.Cancel();
            runsLong.Wait(Patience);
        }
    }
}

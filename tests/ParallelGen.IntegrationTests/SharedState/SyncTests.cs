using System;
using System.Linq;
using System.Threading;
using NUnit.Framework;
using ParallelGen.IntegrationTests.Jobs;
using Shouldly;

namespace ParallelGen.IntegrationTests.SharedState;

/// <summary><see cref="ProcessLock"/>, <see cref="ProcessEvent"/>, <see cref="ProcessSemaphore"/> and <see cref="ProcessBarrier"/> across real workers.</summary>
public class SyncTests : FourWorkerFixture
{
    [Test]
    public void Lock_GuardsAReadModifyWriteAcrossFourWorkers()
    {
        using var gate = new ProcessLock();
        using var counter = new ProcessDictionary<string, int>();
        counter["count"] = 0;
        Four.Map(SharedStateJobs.Remote.CountUnderLock, Enumerable.Range(0, 4).Select(_ => (gate, counter, 250)), chunkSize: 1);
        counter["count"].ShouldBe(1000);
    }

    [Test]
    public void Lock_HeldByTheCaller_WorkerTimesOutThenGetsItAfterRelease()
    {
        using var gate = new ProcessLock();
        using (gate.Acquire())
        {
            Pool.Apply(SharedStateJobs.Remote.TryLock, (gate, 20)).ShouldBeFalse();
        }

        Pool.Apply(SharedStateJobs.Remote.TryLock, (gate, 60_000)).ShouldBeTrue();
        Should.Throw<SynchronizationLockException>(() => gate.Release());
    }

    [Test]
    public void Lock_WorkerKilledHoldingIt_NextAcquirerLearnsItWasAbandoned()
    {
        using var gate = new ProcessLock();
        using var holding = new ProcessEvent();
        WorkerProcess holder = WorkerProcess.Start(SharedStateJobs.Remote.HoldLockAndHang, (gate, holding));
        holding.Wait(Patience).ShouldBeTrue();
        gate.TryAcquire(TimeSpan.Zero).ShouldBeFalse();

        holder.Kill();
        Should.Throw<ProcessLockAbandonedException>(() => gate.TryAcquire(Patience)).ShouldBeAssignableTo<AbandonedMutexException>();
        gate.Release(); // the abandoned lock was handed over held, as Mutex does

        gate.TryAcquire(TimeSpan.Zero).ShouldBeTrue();
        gate.Release();
    }

    [Test]
    public void Event_WorkerWaitsUntilTheCallerSetsIt()
    {
        using var ready = new ProcessEvent();
        Pool.Apply(SharedStateJobs.Remote.WaitForEvent, (ready, 20)).ShouldBeFalse();

        AsyncResult<bool> waiting = Pool.ApplyAsync(SharedStateJobs.Remote.WaitForEvent, (ready, -1));
        ready.IsSet.ShouldBeFalse();
        ready.Set();
        waiting.Get(Patience).ShouldBeTrue();
        ready.IsSet.ShouldBeTrue();
        Pool.Apply(SharedStateJobs.Remote.WaitForEvent, (ready, 0)).ShouldBeTrue();
        ready.Clear();
        ready.Wait(TimeSpan.Zero).ShouldBeFalse();
    }

    [Test]
    public void Semaphore_WorkersTakeSlotsTheCallerReleases()
    {
        using var slots = new ProcessSemaphore(1);
        Pool.Apply(SharedStateJobs.Remote.WaitForSlot, (slots, -1)).ShouldBeTrue();
        slots.CurrentCount.ShouldBe(0);
        Pool.Apply(SharedStateJobs.Remote.WaitForSlot, (slots, 20)).ShouldBeFalse();

        AsyncResult<bool> waiting = Pool.ApplyAsync(SharedStateJobs.Remote.WaitForSlot, (slots, -1));
        slots.Release().ShouldBe(0);
        waiting.Get(Patience).ShouldBeTrue();
        slots.CurrentCount.ShouldBe(0);
    }

    [Test]
    public void Barrier_FourWorkersMeetEveryRound_NoneRunsAhead()
    {
        using var barrier = new ProcessBarrier(4);
        using var progress = new SharedArray<int>(4);
        int[] lagging = Four.Map(SharedStateJobs.Remote.MeetEachRound, Enumerable.Range(0, 4).Select(p => (barrier, progress, p, 50)), chunkSize: 1);

        lagging.ShouldAllBe(l => l == 0);
        barrier.CurrentPhaseNumber.ShouldBe(100);
        progress.AsSpan().ToArray().ShouldAllBe(r => r == 50);
    }

    [Test]
    public void Barrier_TimeoutWithdrawsTheArrival()
    {
        using var barrier = new ProcessBarrier(2);
        barrier.SignalAndWait(TimeSpan.FromMilliseconds(20)).ShouldBeFalse();
        barrier.CurrentPhaseNumber.ShouldBe(0);
    }
}

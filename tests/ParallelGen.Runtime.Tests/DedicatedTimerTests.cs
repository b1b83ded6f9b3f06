using System;
using System.Threading;
using NUnit.Framework;
using ParallelGen.Hosting;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

/// <summary>The worker's timer: one shot per arming, on a thread of its own, never early, silent once disposed.</summary>
public class DedicatedTimerTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Test]
    public void Arm_RunsTheCallbackOnce_OnItsOwnThread_NotBeforeTheDeadline()
    {
        using var fired = new ManualResetEventSlim();
        Thread? callbackThread = null;
        DateTime firedAt = default;
        using var timer = new DedicatedTimer("test timer", () =>
        {
            firedAt = DateTime.UtcNow;
            callbackThread = Thread.CurrentThread;
            fired.Set();
        });

        DateTime armedAt = DateTime.UtcNow;
        timer.Arm(TimeSpan.FromMilliseconds(50));

        fired.Wait(s_wait).ShouldBeTrue();
        (firedAt - armedAt).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(45), "a deadline is a lower bound (clock granularity aside)");
        callbackThread!.Name.ShouldBe("test timer");
        callbackThread.IsThreadPoolThread.ShouldBeFalse();
        callbackThread.IsBackground.ShouldBeTrue("a pending deadline must not keep the worker alive");
    }

    [Test]
    public void ArmingAgain_ReplacesTheDeadline_AndEachArmingFiresOnce()
    {
        int count = 0;
        using var fired = new SemaphoreSlim(0);
        using var timer = new DedicatedTimer("test timer", () =>
        {
            Interlocked.Increment(ref count);
            fired.Release();
        });

        timer.Arm(TimeSpan.FromDays(1));
        timer.Arm(TimeSpan.FromMilliseconds(1)); // replaces the day: the waiting thread must wake for it
        fired.Wait(s_wait).ShouldBeTrue();

        timer.Arm(TimeSpan.Zero); // armed again from outside, after it fired
        fired.Wait(s_wait).ShouldBeTrue();

        // A third arming, disarmed at once and replaced by a fourth: the count shows which ran.
        timer.Arm(TimeSpan.FromDays(1));
        timer.Disarm();
        timer.Arm(TimeSpan.FromMilliseconds(1));
        fired.Wait(s_wait).ShouldBeTrue();
        Volatile.Read(ref count).ShouldBe(3);
    }

    [Test]
    public void TheCallback_CanArmItsOwnTimer()
    {
        int count = 0;
        using var done = new ManualResetEventSlim();
        DedicatedTimer? timer = null;
        timer = new DedicatedTimer("test timer", () =>
        {
            if (Interlocked.Increment(ref count) < 3)
            {
                timer!.Arm(TimeSpan.FromMilliseconds(1)); // what IdleTrimmer does while calls keep the worker busy
            }
            else
            {
                done.Set();
            }
        });
        using (timer)
        {
            timer.Arm(TimeSpan.FromMilliseconds(1));
            done.Wait(s_wait).ShouldBeTrue();
            Volatile.Read(ref count).ShouldBe(3);
        }
    }

    [Test]
    public void Disposed_ItStartsNothing()
    {
        var timer = new DedicatedTimer("test timer", () => { });
        timer.Dispose();

        timer.Arm(TimeSpan.Zero);
        timer.Disarm();

        timer.HasThread.ShouldBeFalse("arming a disposed timer must not start its thread");
    }
}

using System;
using NUnit.Framework;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

/// <summary><see cref="ProcessPoolOptions.MaxWorkerMemory"/>: a worker whose resident memory passed the limit after a task is replaced.</summary>
public class MemoryRecyclingTests
{
    private const long Limit = 200L * 1024 * 1024;
    private const int LeakMegabytes = 120; // an idle worker holds about 40 MB: one leak stays under the limit, two pass it

    [Test]
    public void AWorkerThatLeaksPastTheLimit_IsReplacedAfterThatTask()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxWorkerMemory = Limit });
        int first = pool.Apply(LeakyJobs.Remote.Leak, LeakMegabytes);
        pool.Apply(LeakyJobs.Remote.Leak, LeakMegabytes).ShouldBe(first); // under the limit after one leak: kept
        int replacement = pool.Apply(LeakyJobs.Remote.Leak, LeakMegabytes); // over it after two: replaced
        replacement.ShouldNotBe(first);
        ProcessAssert.WaitForExit(first, TimeSpan.FromSeconds(30)).ShouldBeTrue(); // retired, not left running
    }

    [Test]
    public void WithoutALimit_TheSameLeakyWorkerIsKept()
    {
        using var pool = new ProcessPool(1);
        int first = pool.Apply(LeakyJobs.Remote.Leak, LeakMegabytes);
        pool.Apply(LeakyJobs.Remote.Leak, LeakMegabytes).ShouldBe(first);
        pool.Apply(LeakyJobs.Remote.Leak, LeakMegabytes).ShouldBe(first);
    }

    [Test]
    public void MaxWorkerMemory_BelowOneByte_IsRefused() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxWorkerMemory = 0 }));
}

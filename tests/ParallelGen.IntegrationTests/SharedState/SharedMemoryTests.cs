using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using ParallelGen.IntegrationTests.Jobs;
using Shouldly;

namespace ParallelGen.IntegrationTests.SharedState;

/// <summary><see cref="SharedValue{T}"/> and <see cref="SharedArray{T}"/> mapped by real workers.</summary>
public class SharedMemoryTests : FourWorkerFixture
{
    [Test]
    public void SharedValue_FourWorkersIncrementTenThousandTimesEach_Exactly40000()
    {
        using var counter = new SharedValue<long>();
        counter.Value.ShouldBe(0);
        Four.Map(SharedStateJobs.Remote.Increment, Enumerable.Range(0, 4).Select(_ => (counter, 10_000)), chunkSize: 1);
        counter.Value.ShouldBe(40_000);
        counter.Add(2).ShouldBe(40_002);
        counter.CompareExchange(7, 40_002).ShouldBe(40_002);
        counter.Value.ShouldBe(7);
    }

    [Test]
    public void SharedArray_FilledByAMapOverRanges_TheCallerSeesEveryElement()
    {
        const int Length = 1_000_000;
        using var array = new SharedArray<double>(Length);
        array[0].ShouldBe(0);
        var ranges = Enumerable.Range(0, 8).Select(i => (array, i * Length / 8, (i + 1) * Length / 8));
        Four.Map(SharedStateJobs.Remote.Fill, ranges, chunkSize: 1);

        for (int i = 0; i < Length; i++)
        {
            if (array[i] != i * 0.5)
            {
                Assert.Fail($"array[{i}] is {array[i]}, not {i * 0.5}");
            }
        }

        // A worker sees what the caller writes, too.
        array[7] = 1_000_000;
        Pool.Apply(SharedStateJobs.Remote.Sum, array).ShouldBe(Enumerable.Range(0, Length).Sum(i => i * 0.5) - 3.5 + 1_000_000);
    }

    [Test]
    public void SharedArray_IndexOutsideTheArray_Throws()
    {
        using var array = new SharedArray<int>(3);
        Should.Throw<IndexOutOfRangeException>(() => array[3]);
        Should.Throw<ArgumentOutOfRangeException>(() => new SharedArray<int>(-1));
    }

    [Test]
    public void SharedArray_Disposed_CannotBePassedOrUsed()
    {
        var array = new SharedArray<double>(10);
        array.Dispose();
        Should.Throw<ObjectDisposedException>(() => Pool.Apply(SharedStateJobs.Remote.Sum, array));
        Should.Throw<ObjectDisposedException>(() => array.AsSpan());
    }

    [Test]
    public void SharedArray_LeavesNothingInDevShm()
    {
        string[] before = Directory.GetFiles("/dev/shm");
        using (var array = new SharedArray<double>(1000))
        {
            Pool.Apply(SharedStateJobs.Remote.Sum, array).ShouldBe(0);
            Directory.GetFiles("/dev/shm").ShouldBe(before, ignoreOrder: true);
        }
    }
}

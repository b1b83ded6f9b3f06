using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using ParallelGen.IntegrationTests.Infrastructure;
using ParallelGen.IntegrationTests.Jobs;
using Shouldly;

namespace ParallelGen.IntegrationTests;

/// <summary>A <see cref="ProcessQueue{T}"/> or <see cref="IProgress{T}"/> passed as an argument: workers write, the caller receives.</summary>
public class ChannelTests : PoolFixture
{
    [Test]
    public void ProcessQueue_ItemsPutInAWorker_ArriveInOrder()
    {
        var queue = new ProcessQueue<(int Producer, int Index)>();
        AsyncResult<int> result = Pool.ApplyAsync(ChannelJobs.Remote.Produce, (queue, 1, 1000));
        for (int i = 0; i < 1000; i++)
        {
            queue.Get(Patience).ShouldBe((1, i));
        }

        result.Get(Patience).ShouldBe(1000);
        queue.TryGet(out _).ShouldBeFalse();
    }

    [Test]
    public void ProcessQueue_ItemsOfACallArriveBeforeItsResult()
    {
        var queue = new ProcessQueue<(int Producer, int Index)>();
        Pool.Apply(ChannelJobs.Remote.Produce, (queue, 7, 50)).ShouldBe(50);
        queue.Count.ShouldBe(50);
    }

    [Test]
    public void ProcessQueue_SeveralProducers_EachKeepsItsOrder()
    {
        var queue = new ProcessQueue<(int Producer, int Index)>();
        int[] counts = Pool.Map(ChannelJobs.Remote.Produce, Enumerable.Range(0, 6).Select(p => (queue, p, 200)), chunkSize: 1);
        counts.ShouldAllBe(count => count == 200);

        var next = new int[6];
        for (int i = 0; i < 6 * 200; i++)
        {
            (int producer, int index) = queue.Get(Patience);
            index.ShouldBe(next[producer], $"producer {producer}'s items out of order");
            next[producer]++;
        }

        next.ShouldAllBe(n => n == 200);
    }

    [Test]
    public void ProcessQueue_GetWithTimeout_ThrowsTimeoutWhenEmpty() =>
        Should.Throw<TimeoutException>(() => new ProcessQueue<(int, int)>().Get(TimeSpan.FromMilliseconds(10)));

    [Test]
    public void Progress_ReportsFromAWorker_ReachTheCallersObjectInOrderBeforeTheResult()
    {
        var progress = new RecordingProgress();
        Pool.Apply(ChannelJobs.Remote.Work, (progress, 5)).ShouldBe(5);
        progress.Reports.ShouldBe(["step 1 of 5", "step 2 of 5", "step 3 of 5", "step 4 of 5", "step 5 of 5"]);
    }

    /// <summary>Records reports synchronously (unlike <see cref="Progress{T}"/>, which posts them to the thread pool).</summary>
    private sealed class RecordingProgress : IProgress<string>
    {
        private readonly List<string> _reports = [];

        public IReadOnlyList<string> Reports
        {
            get
            {
                lock (_reports)
                {
                    return _reports.ToArray();
                }
            }
        }

        public void Report(string value)
        {
            lock (_reports)
            {
                _reports.Add(value);
            }
        }
    }
}

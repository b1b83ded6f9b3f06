using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

public class ChannelTests
{
    private static readonly TimeSpan s_generous = TimeSpan.FromSeconds(30);

    private static ProcessPool Pool => SharedPool.Pool;

    [Test]
    public void ProcessQueue_ItemsPutByAWorkerArriveInOrder()
    {
        var queue = new ProcessQueue<int>();
        AsyncResult<int> producer = Pool.ApplyAsync(HandWrittenJobs.Remote.Produce, (queue, 0, 1000));
        int[] received = Enumerable.Range(0, 1000).Select(_ => queue.Get(s_generous)).ToArray();
        received.ShouldBe(Enumerable.Range(0, 1000));
        producer.Get().ShouldBe(1000);
        queue.TryGet(out _).ShouldBeFalse();
    }

    [Test]
    public void ProcessQueue_ManyProducers_EachKeepsItsOrder()
    {
        var queue = new ProcessQueue<int>();
        var producers = Enumerable.Range(0, 4).Select(p => (queue, p * 10_000, 500)).ToList();
        Pool.Map(HandWrittenJobs.Remote.Produce, producers, chunkSize: 1).ShouldAllBe(count => count == 500);

        var received = new List<int>();
        while (queue.TryGet(out int item))
        {
            received.Add(item);
        }

        received.Count.ShouldBe(2000); // all arrived before Map returned
        for (int p = 0; p < 4; p++)
        {
            received.Where(x => x / 10_000 == p).ShouldBe(Enumerable.Range(p * 10_000, 500));
        }
    }

    [Test]
    public void ProcessQueue_GetWithTimeout_ThrowsWhenEmpty()
    {
        var queue = new ProcessQueue<int>();
        Should.Throw<TimeoutException>(() => queue.Get(TimeSpan.FromMilliseconds(20)));
        queue.TryGet(out _).ShouldBeFalse();
    }

    [Test]
    public void ProcessQueue_GetInsideAWorker_IsAClearError()
    {
        RemoteException error = Should.Throw<RemoteException>(() => Pool.Apply(HandWrittenJobs.Remote.ReadInWorker, new ProcessQueue<int>()));
        error.RemoteType.ShouldBe("System.InvalidOperationException");
        error.Message.ShouldContain("only accepts Put");
    }

    [Test]
    public void Progress_WorkersReportsReachTheCallersObjectBeforeTheResult()
    {
        var progress = new RecordingProgress();
        Pool.Apply(HandWrittenJobs.Remote.Work, (progress, 250)).ShouldBe(250);
        progress.Reports.ShouldBe(Enumerable.Range(1, 250));
    }

    [Test]
    public void InProcessMode_QueueAndProgressAreTheCallersOwnObjects()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, InProcess = true });
        var queue = new ProcessQueue<int>();
        var progress = new RecordingProgress();
        pool.Apply(HandWrittenJobs.Remote.Produce, (queue, 5, 3)).ShouldBe(3);
        pool.Apply(HandWrittenJobs.Remote.Work, (progress, 3)).ShouldBe(3);
        new[] { queue.Get(), queue.Get(), queue.Get() }.ShouldBe(new[] { 5, 6, 7 });
        progress.Reports.ShouldBe(new[] { 1, 2, 3 });
    }

    private sealed class RecordingProgress : IProgress<int>
    {
        private readonly List<int> _reports = new();

        public int[] Reports
        {
            get
            {
                lock (_reports)
                {
                    return _reports.ToArray();
                }
            }
        }

        public void Report(int value)
        {
            lock (_reports)
            {
                _reports.Add(value);
            }
        }
    }
}

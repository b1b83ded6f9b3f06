using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
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
    public async Task ProcessQueue_GetAsync_ReturnsWhatAWorkerPuts()
    {
        var queue = new ProcessQueue<int>();
        AsyncResult<int> producer = Pool.ApplyAsync(HandWrittenJobs.Remote.Produce, (queue, 40, 3));
        int[] received = [await queue.GetAsync(), await queue.GetAsync(), await queue.GetAsync()];
        received.ShouldBe([40, 41, 42]);
        (await producer).ShouldBe(3);
    }

    [Test]
    public void ProcessQueue_GetWithCancelledToken_ThrowsOperationCanceled()
    {
        var queue = new ProcessQueue<int>();
        using var cancellation = new CancellationTokenSource();
        Task<int> waiting = Task.Run(() => queue.Get(cancellation.Token));
        cancellation.Cancel();
        Should.Throw<OperationCanceledException>(() => waiting.GetAwaiter().GetResult());
        Should.Throw<OperationCanceledException>(async () => await queue.GetAsync(cancellation.Token));
    }

    [Test]
    public async Task ProcessQueue_ReadAllAsync_EndsOnceCompletedAndDrained_WithEveryProducersOrder()
    {
        var queue = new ProcessQueue<int>();
        var received = new List<int>();
        Task reader = Task.Run(async () =>
        {
            await foreach (int item in queue.ReadAllAsync())
            {
                received.Add(item);
            }
        });

        Pool.Map(HandWrittenJobs.Remote.Produce, Enumerable.Range(0, 3).Select(p => (queue, p * 1000, 300)), chunkSize: 1);
        queue.Complete(); // every call's items arrived before Map returned
        await reader.WaitAsync(s_generous);

        received.Count.ShouldBe(900);
        for (int p = 0; p < 3; p++)
        {
            received.Where(x => x / 1000 == p).ShouldBe(Enumerable.Range(p * 1000, 300));
        }

        queue.IsCompleted.ShouldBeTrue();
    }

    [Test]
    public void ProcessQueue_Completed_GetDrainsThenThrows_PutIsRefused()
    {
        var queue = new ProcessQueue<int>();
        queue.Put(1);
        queue.Complete();
        queue.Complete();
        Should.Throw<InvalidOperationException>(() => queue.Put(2)).Message.ShouldContain("completed");
        queue.IsCompleted.ShouldBeFalse(); // one item left
        queue.Get().ShouldBe(1);
        queue.IsCompleted.ShouldBeTrue();
        Should.Throw<ChannelClosedException>(() => queue.Get());
        Should.Throw<ChannelClosedException>(async () => await queue.GetAsync());
    }

    [Test]
    public void ProcessQueue_AWorkerPutsAfterComplete_TheItemsAreRefusedAndReported()
    {
        using var capture = new ConsoleCapture(error: true);
        var queue = new ProcessQueue<int>();
        queue.Complete();
        Pool.Apply(HandWrittenJobs.Remote.Produce, (queue, 0, 2)).ShouldBe(2); // its items arrived before this result
        queue.Count.ShouldBe(0);
        queue.TryGet(out _).ShouldBeFalse();
        capture.Text.ShouldContain("accepts no more items");
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

using System;
using System.Collections.Generic;
using System.Threading.Channels;
using System.Threading.Tasks;
using NUnit.Framework;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

/// <summary><c>new ProcessQueue&lt;T&gt;(capacity)</c>, Python's <c>Queue(maxsize)</c>: a worker's Put waits for room.</summary>
public class BoundedQueueTests
{
    private const int Capacity = 2;
    private const int Items = 12;
    private static readonly TimeSpan s_generous = TimeSpan.FromSeconds(30);

    private static ProcessPool Pool => SharedPool.Pool;

    [TestCase(false)]
    [TestCase(true)]
    public void WorkersPut_NeverGetsMoreThanCapacityAhead_OfTheReader(bool useAsync)
    {
        var queue = new ProcessQueue<int>(Capacity);
        var done = new ProcessQueue<int>();
        AsyncResult<int> producer = Pool.ApplyAsync(BoundedQueueJobs.Remote.ProduceAndReport, (queue, done, Items, useAsync));

        // The producer fills the queue; its Put of item `Capacity` then waits for room.
        for (int i = 0; i < Capacity; i++)
        {
            done.Get(s_generous).ShouldBe(i);
        }

        var finished = new List<int>();
        for (int taken = 0; taken < Items; taken++)
        {
            queue.Count.ShouldBeLessThanOrEqualTo(Capacity);
            queue.Get(s_generous).ShouldBe(taken);
            // A Put returns only once the caller's queue took the item in, and there is room for item i only after
            // i - Capacity + 1 items were taken: whatever the producer reports now obeys that.
            while (done.TryGet(out int reported))
            {
                finished.Add(reported);
                reported.ShouldBeLessThan(taken + 1 + Capacity);
            }
        }

        producer.Get(s_generous).ShouldBe(Items);
        while (done.TryGet(out int reported))
        {
            finished.Add(reported);
        }

        finished.Count.ShouldBe(Items - Capacity);
    }

    [Test]
    public void Complete_WhileAWorkerWaitsForRoom_ItsPutFails()
    {
        var queue = new ProcessQueue<int>(1);
        var done = new ProcessQueue<int>();
        AsyncResult<int> producer = Pool.ApplyAsync(BoundedQueueJobs.Remote.ProduceAndReport, (queue, done, 3, false));
        done.Get(s_generous).ShouldBe(0); // item 0 is in; the Put of item 1 waits for room

        queue.Complete();

        RemoteException error = Should.Throw<RemoteException>(() => producer.Get(s_generous));
        error.RemoteType.ShouldBe("System.InvalidOperationException");
        error.Message.ShouldContain("accepts no more items");
        queue.Get().ShouldBe(0);
        Should.Throw<ChannelClosedException>(() => queue.Get());
    }

    [Test]
    public async Task InTheCaller_PutAsyncWaitsForRoom_AndPutAfterCompleteFails()
    {
        var queue = new ProcessQueue<int>(1);
        queue.Capacity.ShouldBe(1);
        await queue.PutAsync(1);
        ValueTask second = queue.PutAsync(2);
        second.IsCompleted.ShouldBeFalse(); // full: it waits
        queue.Get().ShouldBe(1);
        await second.AsTask().WaitAsync(s_generous);
        queue.Get().ShouldBe(2);

        queue.Complete();
        Should.Throw<InvalidOperationException>(() => queue.Put(3));
    }

    [Test]
    public void Capacity_BelowOne_IsRefused() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new ProcessQueue<int>(0));
}

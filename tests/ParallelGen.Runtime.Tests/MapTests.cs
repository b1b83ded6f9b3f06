using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

public class MapTests
{
    private static ProcessPool Pool => SharedPool.Pool;

    [Test]
    public void Map_DefaultChunks_ReturnsResultsInInputOrder() =>
        Pool.Map(HandWrittenJobs.Remote.Square, Enumerable.Range(0, 10_000))
            .ShouldBe(Enumerable.Range(0, 10_000).Select(x => x * x).ToArray());

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(1000)]
    public void Map_ExplicitChunkSize_ReturnsResultsInInputOrder(int chunkSize) =>
        Pool.Map(HandWrittenJobs.Remote.Square, Enumerable.Range(0, 500), chunkSize)
            .ShouldBe(Enumerable.Range(0, 500).Select(x => x * x).ToArray());

    /// <summary>Arrays and lists are read in place, other collections through a pooled copy, other counted sources read once.</summary>
    private static IEnumerable<TestCaseData> Collections()
    {
        int[] values = Enumerable.Range(-50, 1000).Reverse().ToArray();
        yield return new TestCaseData(values).SetArgDisplayNames("array");
        yield return new TestCaseData(values.ToList()).SetArgDisplayNames("List<T>");
        yield return new TestCaseData(Enumerable.Range(-50, 1000)).SetArgDisplayNames("Enumerable.Range");
        yield return new TestCaseData(new LinkedList<int>(values)).SetArgDisplayNames("LinkedList<T>");
        yield return new TestCaseData(new SortedSet<int>(values)).SetArgDisplayNames("SortedSet<T>");
        yield return new TestCaseData(values.AsReadOnly()).SetArgDisplayNames("ReadOnlyCollection<T>");
        yield return new TestCaseData(values.Select(x => x + 1)).SetArgDisplayNames("counted Select");
    }

    [TestCaseSource(nameof(Collections))]
    public void Map_AnyCountedSource_ReturnsResultsInItsOrder(IEnumerable<int> items)
    {
        int[] expected = items.Select(x => x * x).ToArray();
        Pool.Map(HandWrittenJobs.Remote.Square, items).ShouldBe(expected);
        Pool.Map(HandWrittenJobs.Remote.Square, items, chunkSize: 7).ShouldBe(expected);
    }

    [Test]
    public void Map_EmptyInput_ReturnsEmptyArray() =>
        Pool.Map(HandWrittenJobs.Remote.Square, Array.Empty<int>()).ShouldBeEmpty();

    [Test]
    public void Map_ChunkSizeBelowOne_IsRejected() =>
        Should.Throw<ArgumentOutOfRangeException>(() => Pool.Map(HandWrittenJobs.Remote.Square, new[] { 1 }, chunkSize: 0));

    [Test]
    public void Map_Tuples_RunsLikeStarmap()
    {
        var pairs = Enumerable.Range(1, 20).Select(i => (new[] { (double)i, 1.0 }, new[] { 2.0, (double)i })).ToList();
        Pool.Map(HandWrittenJobs.Remote.Dot, pairs).ShouldBe(pairs.Select(p => (p.Item1[0] * 2) + p.Item2[1]).ToArray());
    }

    [Test]
    public void Map_ItemThrows_FailsWithThatItemsException() =>
        Should.Throw<RemoteException>(() => Pool.Map(HandWrittenJobs.Remote.ThrowOn7, Enumerable.Range(0, 100), chunkSize: 5))
            .RemoteType.ShouldBe("System.ArgumentOutOfRangeException");

    [Test]
    public async Task MapAsync_IsAwaitableAndRunsTheCallback()
    {
        int[]? seen = null;
        AsyncResult<int[]> result = Pool.MapAsync(HandWrittenJobs.Remote.Square, new[] { 1, 2, 3 }, callback: values => seen = values);
        (await result).ShouldBe(new[] { 1, 4, 9 });
        seen.ShouldBe(new[] { 1, 4, 9 });
    }

    [Test]
    public void Map_LazySource_IsStreamedNotReadWhole()
    {
        using var cancellation = new CancellationTokenSource();
        int pulled = 0;
        IEnumerable<int> Endless()
        {
            for (int i = 0; ; i++)
            {
                if (++pulled == 5_000)
                {
                    cancellation.Cancel(); // an endless input can only end this way
                }

                yield return i;
            }
        }

        Should.Throw<OperationCanceledException>(() => Pool.Map(HandWrittenJobs.Remote.Square, Endless(), chunkSize: 10, cancellationToken: cancellation.Token));
        int lookAhead = Pool.Processes * ParallelGen.Scheduling.Scheduler.PipelineDepth * 2 * 10;
        pulled.ShouldBeLessThanOrEqualTo(5_000 + lookAhead);
    }

    [Test]
    public void Map_LazySource_ReturnsResultsInOrder()
    {
        static IEnumerable<int> Lazy()
        {
            for (int i = 0; i < 3000; i++)
            {
                yield return i;
            }
        }

        Pool.Map(HandWrittenJobs.Remote.Square, Lazy()).ShouldBe(Enumerable.Range(0, 3000).Select(x => x * x).ToArray());
    }

    [Test]
    public void Map_VoidMethod_RunsEveryItem()
    {
        using var capture = new ConsoleCapture();
        Pool.Map(HandWrittenJobs.Remote.Print, new[] { "map-a", "map-b", "map-c" }, chunkSize: 1);
        capture.Text.ShouldContain("map-a");
        capture.Text.ShouldContain("map-b");
        capture.Text.ShouldContain("map-c");
    }
}

using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using ParallelGen.IntegrationTests.Infrastructure;
using ParallelGen.IntegrationTests.Jobs;
using Shouldly;

namespace ParallelGen.IntegrationTests;

/// <summary><c>pool.Map</c> (Python's <c>map</c> and <c>starmap</c>) and <c>pool.MapAsync</c>.</summary>
public class MapTests : PoolFixture
{
    private static readonly int[] s_items = Enumerable.Range(0, 1000).ToArray();
    private static readonly int[] s_squares = s_items.Select(x => x * x).ToArray();

    [Test]
    public void Map_ReturnsResultsInInputOrder() =>
        Pool.Map(Shapes.Remote.Square, s_items).ShouldBe(s_squares);

    [Test]
    public void Map_LazyEnumerable_ReturnsResultsInInputOrder() =>
        Pool.Map(Shapes.Remote.Square, Enumerable.Range(0, 1000)).ShouldBe(s_squares);

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(64)]
    [TestCase(5000)]
    public void Map_WithChunkSize_ReturnsResultsInInputOrder(int chunkSize) =>
        Pool.Map(Shapes.Remote.Square, s_items, chunkSize: chunkSize).ShouldBe(s_squares);

    [Test]
    public void Map_EmptyInput_ReturnsAnEmptyArray() =>
        Pool.Map(Shapes.Remote.Square, Array.Empty<int>()).ShouldBeEmpty();

    [Test]
    public void Map_ChunkSizeBelowOne_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => Pool.Map(Shapes.Remote.Square, s_items, chunkSize: 0));

    [Test]
    public void Map_OverTuples_IsStarmap()
    {
        (double[] a, double[] b)[] pairs = Enumerable.Range(1, 50)
            .Select(n => (Enumerable.Repeat(1.0, n).ToArray(), Enumerable.Repeat(2.0, n).ToArray()))
            .ToArray();
        Pool.Map(Shapes.Remote.Dot, pairs).ShouldBe(Enumerable.Range(1, 50).Select(n => 2.0 * n).ToArray());
    }

    [Test]
    public void Map_OverThreeElementTuples_IsStarmap() =>
        Pool.Map(Shapes.Remote.Describe, [("a", 1, false), ("b", 2, true), ("c", 3, false)])
            .ShouldBe(["1 x a", "2 X B", "3 x c"]);

    [Test]
    public void Map_AsyncMethod_ReturnsAwaitedValuesInOrder() =>
        Pool.Map(Shapes.Remote.FetchAsync, ["a", "b", "c", "d"], chunkSize: 2)
            .ShouldBe(["value:a", "value:b", "value:c", "value:d"]);

    [Test]
    public void Map_ValueTaskMethodOverTuples_ReturnsValuesInOrder() =>
        Pool.Map(Shapes.Remote.AddAsync, Enumerable.Range(0, 100).Select(i => (i, i))).ShouldBe(Enumerable.Range(0, 100).Select(i => 2 * i).ToArray());

    [Test]
    public void Map_VoidMethod_RunsEveryItem()
    {
        DirectoryInfo directory = Directory.CreateTempSubdirectory("parallelgen-it-");
        try
        {
            string[] paths = Enumerable.Range(0, 20).Select(i => Path.Combine(directory.FullName, $"{i}.txt")).ToArray();
            Pool.Map(Shapes.Remote.Touch, paths, chunkSize: 3);
            paths.ShouldAllBe(path => File.Exists(path));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Test]
    public void Map_RunsEveryItemOutsideTheTestProcess() =>
        Pool.Map(Shapes.Remote.ProcessIdOf, Enumerable.Range(0, 100), chunkSize: 1)
            .ShouldAllBe(pid => pid > 0 && pid != Environment.ProcessId);

    [Test]
    public void Map_OneItemThrows_ThrowsItsRemoteException()
    {
        RemoteException error = Should.Throw<RemoteException>(() => Pool.Map(Failing.Remote.FailOn13, Enumerable.Range(0, 100), chunkSize: 10));
        error.RemoteType.ShouldBe("System.ArgumentOutOfRangeException");
        error.Message.ShouldContain("thirteen");
        Pool.Map(Failing.Remote.FailOn13, Enumerable.Range(0, 13)).ShouldBe(Enumerable.Range(0, 13).ToArray(), "the pool stays usable");
    }

    [Test]
    public void MapAsync_Get_ReturnsResultsInInputOrder()
    {
        AsyncResult<int[]> result = Pool.MapAsync(Shapes.Remote.Square, s_items, chunkSize: 50);
        result.Get(Patience).ShouldBe(s_squares);
        result.Successful.ShouldBeTrue();
    }

    [Test]
    public async Task MapAsync_Await_ReturnsResultsInInputOrder() =>
        (await Pool.MapAsync(Shapes.Remote.Square, s_items)).ShouldBe(s_squares);

    [Test]
    public void MapAsync_Callback_ReceivesTheWholeArrayBeforeReady()
    {
        int[]? seen = null;
        AsyncResult<int[]> result = Pool.MapAsync(Shapes.Remote.Square, s_items, callback: values => Volatile.Write(ref seen, values));
        result.Get(Patience);
        Volatile.Read(ref seen).ShouldBe(s_squares);
    }

    [Test]
    public void MapAsync_ErrorCallback_ReceivesTheFirstFailure()
    {
        Exception? seen = null;
        AsyncResult<int[]> result = Pool.MapAsync(Failing.Remote.FailOn13, s_items, errorCallback: error => Volatile.Write(ref seen, error));
        result.Wait(Patience).ShouldBeTrue();
        result.Successful.ShouldBeFalse();
        Volatile.Read(ref seen).ShouldBeOfType<RemoteException>().RemoteType.ShouldBe("System.ArgumentOutOfRangeException");
    }

    [Test]
    public void MapAsync_VoidMethod_Completes()
    {
        using var capture = new ConsoleCapture();
        string tag = "said-" + Guid.NewGuid().ToString("N");
        AsyncResult result = Pool.MapAsync(Shapes.Remote.Say, Enumerable.Range(0, 10).Select(i => $"{tag}:{i}"), chunkSize: 2);
        result.Get(Patience);
        for (int i = 0; i < 10; i++)
        {
            capture.Text.ShouldContain($"{tag}:{i}");
        }
    }
}

using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using NUnit.Framework;
using ParallelGen.IntegrationTests.Infrastructure;
using ParallelGen.IntegrationTests.Jobs;
using Shouldly;

namespace ParallelGen.IntegrationTests;

/// <summary><c>Imap</c>/<c>ImapUnordered</c> and their async forms (Python's <c>imap</c>/<c>imap_unordered</c>).</summary>
public class ImapTests : PoolFixture
{
    private static readonly int[] s_items = Enumerable.Range(0, 500).ToArray();
    private static readonly int[] s_squares = s_items.Select(x => x * x).ToArray();

    [Test]
    public void Imap_YieldsResultsInInputOrder() =>
        Pool.Imap(Shapes.Remote.Square, s_items).ToArray().ShouldBe(s_squares);

    [Test]
    public void Imap_WithChunkSize_YieldsResultsInInputOrder() =>
        Pool.Imap(Shapes.Remote.Square, s_items, chunkSize: 32).ToArray().ShouldBe(s_squares);

    [Test]
    public void Imap_OverTuples_IsLazyStarmap() =>
        Pool.Imap(Shapes.Remote.AddAsync, Enumerable.Range(0, 50).Select(i => (i, 1))).ToArray()
            .ShouldBe(Enumerable.Range(1, 50).ToArray());

    [Test]
    public void ImapUnordered_YieldsEveryResultOnce() =>
        Pool.ImapUnordered(Shapes.Remote.Square, s_items).Order().ToArray().ShouldBe(s_squares);

    [Test]
    public async Task ImapAsync_YieldsResultsInInputOrder()
    {
        var results = new List<string>();
        await foreach (string value in Pool.ImapAsync(Shapes.Remote.FetchAsync, ["a", "b", "c"]))
        {
            results.Add(value);
        }

        results.ShouldBe(["value:a", "value:b", "value:c"]);
    }

    [Test]
    public async Task ImapUnorderedAsync_YieldsEveryResultOnce()
    {
        var results = new List<int>();
        await foreach (int value in Pool.ImapUnorderedAsync(Shapes.Remote.Square, s_items))
        {
            results.Add(value);
        }

        results.Order().ShouldBe(s_squares);
    }

    [Test]
    public void Imap_AnItemThrows_TheEnumerationThrowsRemoteException()
    {
        RemoteException error = Should.Throw<RemoteException>(() => Pool.Imap(Failing.Remote.FailOn13, Enumerable.Range(0, 30)).ToArray());
        error.RemoteType.ShouldBe("System.ArgumentOutOfRangeException");
    }
}

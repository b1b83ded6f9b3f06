using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

public class ImapTests
{
    private static readonly TimeSpan s_generous = TimeSpan.FromSeconds(30);

    private static ProcessPool Pool => SharedPool.Pool;

    [Test]
    public void Imap_YieldsInInputOrder() =>
        Pool.Imap(HandWrittenJobs.Remote.Square, Enumerable.Range(0, 2000)).ShouldBe(Enumerable.Range(0, 2000).Select(x => x * x));

    [Test]
    public void Imap_WithChunks_YieldsInInputOrder() =>
        Pool.Imap(HandWrittenJobs.Remote.Square, Enumerable.Range(0, 2000), chunkSize: 64).ShouldBe(Enumerable.Range(0, 2000).Select(x => x * x));

    [Test]
    public void Imap_ReadsAnEndlessInputLazily()
    {
        var source = new CountingSource();
        Pool.Imap(HandWrittenJobs.Remote.Square, source.Endless()).Take(10).ShouldBe(Enumerable.Range(0, 10).Select(x => x * x));
        int lookAhead = Pool.Processes * ParallelGen.Scheduling.Scheduler.PipelineDepth * 2;
        source.Pulled.ShouldBeLessThanOrEqualTo(10 + lookAhead + 1);
    }

    [Test]
    public void Imap_FirstResultArrivesBeforeLaterTasksFinish_AndAbandoningCancelsThem()
    {
        using var pool = new ProcessPool(2);
        using (IEnumerator<int> results = pool.Imap(HandWrittenJobs.Remote.BlockUnlessZero, new[] { 0, 1, 2, 3 }).GetEnumerator())
        {
            results.MoveNext().ShouldBeTrue(); // items 1..3 block until cancelled
            results.Current.ShouldBe(0);
        }

        // Abandoning cancelled the blocked calls, so both workers are free again.
        pool.ApplyAsync(HandWrittenJobs.Remote.Square, 4).Get(s_generous).ShouldBe(16);
        pool.ApplyAsync(HandWrittenJobs.Remote.Square, 5).Get(s_generous).ShouldBe(25);
    }

    [Test]
    public void ImapUnordered_YieldsInCompletionOrder()
    {
        using var pool = new ProcessPool(2);
        using IEnumerator<int> results = pool.ImapUnordered(HandWrittenJobs.Remote.BlockUnlessZero, new[] { 1, 0 }).GetEnumerator();
        results.MoveNext().ShouldBeTrue();
        results.Current.ShouldBe(0); // the second item, while the first still runs
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task CancellingTheCallersToken_WhileTheEnumerationWaits_EndsIt_AndCancelsTheBlockedCalls(bool ordered)
    {
        using var pool = new ProcessPool(2);
        using var cancellation = new CancellationTokenSource();
        int[] items = ordered ? [0, 1, 2] : [1, 0, 2];
        IAsyncEnumerable<int> results = ordered
            ? pool.ImapAsync(HandWrittenJobs.Remote.BlockUnlessZero, items, cancellationToken: cancellation.Token)
            : pool.ImapUnorderedAsync(HandWrittenJobs.Remote.BlockUnlessZero, items, cancellationToken: cancellation.Token);
        var seen = new List<int>();
        await Should.ThrowAsync<OperationCanceledException>(async () =>
        {
            await foreach (int value in results)
            {
                seen.Add(value);
                cancellation.Cancel(); // the other items block until cancelled: the enumeration ends without them
            }
        });

        seen.ShouldBe([0]);
        pool.ApplyAsync(HandWrittenJobs.Remote.Square, 4).Get(s_generous).ShouldBe(16);
        pool.ApplyAsync(HandWrittenJobs.Remote.Square, 5).Get(s_generous).ShouldBe(25);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task TheCallersTokenCancelledWhileNothingIsReady_TheWaitingEnumerationThrows(bool ordered)
    {
        using var pool = new ProcessPool(1);
        using var cancellation = new CancellationTokenSource();
        IAsyncEnumerable<int> results = ordered
            ? pool.ImapAsync(HandWrittenJobs.Remote.BlockUnlessZero, [1, 2], cancellationToken: cancellation.Token)
            : pool.ImapUnorderedAsync(HandWrittenJobs.Remote.BlockUnlessZero, [1, 2], cancellationToken: cancellation.Token);
        await using IAsyncEnumerator<int> enumerator = results.GetAsyncEnumerator();
        ValueTask<bool> next = enumerator.MoveNextAsync(); // waits: every item blocks until cancelled
        cancellation.Cancel();
        await Should.ThrowAsync<OperationCanceledException>(async () => await next);
        pool.ApplyAsync(HandWrittenJobs.Remote.Square, 3).Get(s_generous).ShouldBe(9);
    }

    [Test]
    public void ImapUnordered_YieldsEveryResultOnce() =>
        Pool.ImapUnordered(HandWrittenJobs.Remote.Square, Enumerable.Range(0, 3000)).OrderBy(x => x).ShouldBe(Enumerable.Range(0, 3000).Select(x => x * x));

    [Test]
    public void Imap_FailingItem_ThrowsAtItsPlace()
    {
        var seen = new List<int>();
        Should.Throw<RemoteException>(() =>
        {
            foreach (int value in Pool.Imap(HandWrittenJobs.Remote.ThrowOn7, Enumerable.Range(0, 20)))
            {
                seen.Add(value);
            }
        }).RemoteType.ShouldBe("System.ArgumentOutOfRangeException");
        seen.ShouldBe(Enumerable.Range(0, 7));
    }

    [Test]
    public async Task ImapAsync_AwaitForeach_YieldsInInputOrder()
    {
        var seen = new List<int>();
        await foreach (int value in Pool.ImapAsync(HandWrittenJobs.Remote.Square, Enumerable.Range(0, 300)))
        {
            seen.Add(value);
        }

        seen.ShouldBe(Enumerable.Range(0, 300).Select(x => x * x));
    }

    [Test]
    public async Task ImapUnorderedAsync_YieldsEveryResult()
    {
        var seen = new List<int>();
        await foreach (int value in Pool.ImapUnorderedAsync(HandWrittenJobs.Remote.Square, Enumerable.Range(0, 300), chunkSize: 10))
        {
            seen.Add(value);
        }

        seen.Order().ShouldBe(Enumerable.Range(0, 300).Select(x => x * x));
    }

    [TestCase(1, new[] { 0, 1, 4 })]
    [TestCase(2, new[] { 0, 1 })] // the chunk that holds item 2 is cut short by the failure, as in Python
    public void Imap_SourceThrowsAtItem3_YieldsTheCompleteChunksBeforeItThenThrows(int chunkSize, int[] expected)
    {
        var seen = new List<int>();
        Should.Throw<SourceFailure>(() =>
        {
            foreach (int value in Pool.Imap(HandWrittenJobs.Remote.Square, FailingSource(failAt: 3), chunkSize))
            {
                seen.Add(value);
            }
        }).Message.ShouldBe("the input failed at 3");
        seen.ShouldBe(expected);
    }

    [Test]
    public async Task ImapAsync_SourceThrows_TheResultsBeforeItComeFirst()
    {
        var seen = new List<int>();
        await Should.ThrowAsync<SourceFailure>(async () =>
        {
            await foreach (int value in Pool.ImapAsync(HandWrittenJobs.Remote.Square, FailingSource(failAt: 5)))
            {
                seen.Add(value);
            }
        });
        seen.ShouldBe([0, 1, 4, 9, 16]);
    }

    [Test]
    public void Imap_ItemFailsBeforeTheSourceDoes_TheItemsErrorComesFirst()
    {
        var seen = new List<int>();
        Should.Throw<RemoteException>(() =>
        {
            foreach (int value in Pool.Imap(HandWrittenJobs.Remote.ThrowOn7, FailingSource(failAt: 9)))
            {
                seen.Add(value);
            }
        });
        seen.ShouldBe(Enumerable.Range(0, 7));
    }

    [TestCase(1)]
    [TestCase(2)]
    public void ImapUnordered_SourceThrows_EveryEarlierResultIsDeliveredFirst(int chunkSize)
    {
        var seen = new List<int>();
        Should.Throw<SourceFailure>(() =>
        {
            foreach (int value in Pool.ImapUnordered(HandWrittenJobs.Remote.Square, FailingSource(failAt: 6), chunkSize))
            {
                seen.Add(value);
            }
        });
        seen.Order().ShouldBe([0, 1, 4, 9, 16, 25]);
    }

    [Test]
    public async Task ImapUnorderedAsync_SourceThrows_EveryEarlierResultIsDeliveredFirst()
    {
        var seen = new List<int>();
        await Should.ThrowAsync<SourceFailure>(async () =>
        {
            await foreach (int value in Pool.ImapUnorderedAsync(HandWrittenJobs.Remote.Square, FailingSource(failAt: 4)))
            {
                seen.Add(value);
            }
        });
        seen.Order().ShouldBe([0, 1, 4, 9]);
    }

    [Test]
    public void Imap_SourceThrowsAtOnce_TheFirstMoveNextThrows() =>
        Should.Throw<SourceFailure>(() => Pool.Imap(HandWrittenJobs.Remote.Square, FailingSource(failAt: 0)).ToList());

    /// <summary>Yields 0, 1, ... and throws when asked for item <paramref name="failAt"/> (a Python generator that raises).</summary>
    private static IEnumerable<int> FailingSource(int failAt)
    {
        for (int i = 0; ; i++)
        {
            if (i == failAt)
            {
                throw new SourceFailure($"the input failed at {i}");
            }

            yield return i;
        }
    }

    private sealed class SourceFailure(string message) : Exception(message);

    private sealed class CountingSource
    {
        public int Pulled { get; private set; }

        public IEnumerable<int> Endless()
        {
            for (int i = 0; ; i++)
            {
                Pulled++;
                yield return i;
            }
        }
    }
}

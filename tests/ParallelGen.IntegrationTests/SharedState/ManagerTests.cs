using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using ParallelGen.IntegrationTests.Jobs;
using Shouldly;

namespace ParallelGen.IntegrationTests.SharedState;

/// <summary><see cref="ProcessDictionary{TKey, TValue}"/> and <see cref="ProcessList{T}"/> changed by several workers at once.</summary>
public class ManagerTests : FourWorkerFixture
{
    [Test]
    public void Dictionary_FourWorkersTryAddOverlappingKeys_NothingLostNothingDoubled()
    {
        using var dictionary = new ProcessDictionary<int, int>();
        int[] added = Four.Map(SharedStateJobs.Remote.TryAddKeys, Enumerable.Range(0, 4).Select(w => (dictionary, w, 1000)), chunkSize: 1);

        added.Sum().ShouldBe(1000, "each key is added by exactly one worker");
        Dictionary<int, int> snapshot = dictionary.ToDictionary();
        snapshot.Keys.Order().ShouldBe(Enumerable.Range(0, 1000));
        snapshot.Values.GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count())
            .ShouldBe(Enumerable.Range(0, 4).Select(w => KeyValuePair.Create(w, added[w])).Where(p => p.Value > 0).ToDictionary(), ignoreOrder: true);
    }

    [Test]
    public void Dictionary_FilledByAPool_ReadBackInOrderInTheCaller()
    {
        using var dictionary = new ProcessDictionary<int, string>();
        Pool.Map(SharedStateJobs.Remote.Store, Enumerable.Range(0, 100).Select(i => (dictionary, i)));

        dictionary.Count.ShouldBe(100);
        Enumerable.Range(0, 100).Select(i => dictionary[i]).ShouldBe(Enumerable.Range(0, 100).Select(i => "item " + i));
        dictionary.ContainsKey(5).ShouldBeTrue();
        dictionary.TryGetValue(100, out _).ShouldBeFalse();
        Should.Throw<KeyNotFoundException>(() => dictionary[100]);
        Pool.Apply(SharedStateJobs.Remote.Read, (dictionary, 42)).ShouldBe("item 42");
    }

    [Test]
    public void Dictionary_AtomicOperations_FollowConcurrentDictionary()
    {
        using var dictionary = new ProcessDictionary<string, int>();
        dictionary.GetOrAdd("a", 1).ShouldBe(1);
        dictionary.GetOrAdd("a", 2).ShouldBe(1);
        dictionary.AddOrUpdate("a", 10, 20).ShouldBe(20);
        dictionary.AddOrUpdate("b", 10, 20).ShouldBe(10);
        dictionary.TryUpdate("a", 30, 99).ShouldBeFalse();
        dictionary.TryUpdate("a", 30, 20).ShouldBeTrue();
        dictionary.Remove("b").ShouldBeTrue();
        dictionary.Remove("b").ShouldBeFalse();
        dictionary.ToDictionary().ShouldBe(new Dictionary<string, int> { ["a"] = 30 });
    }

    [Test]
    public void Dictionary_DisposedByTheCaller_WorkerGetsObjectDisposed()
    {
        var dictionary = new ProcessDictionary<int, string>();
        dictionary.Dispose();
        RemoteException error = Should.Throw<RemoteException>(() => Pool.Apply(SharedStateJobs.Remote.Store, (dictionary, 1)));
        error.RemoteType.ShouldBe(typeof(ObjectDisposedException).FullName);
        Should.Throw<ObjectDisposedException>(() => dictionary.Count);
    }

    [Test]
    public void List_FourWorkersAppend_EachKeepsItsOrderAndNothingIsLost()
    {
        using var list = new ProcessList<int>();
        Four.Map(SharedStateJobs.Remote.Append, Enumerable.Range(0, 4).Select(w => (list, w * 1000, 1000)), chunkSize: 1);

        int[] items = list.ToArray();
        items.Length.ShouldBe(4000);
        items.Order().ShouldBe(Enumerable.Range(0, 4000));
        for (int w = 0; w < 4; w++)
        {
            items.Where(i => i / 1000 == w).ShouldBe(Enumerable.Range(w * 1000, 1000), $"worker {w}'s items out of order");
        }
    }

    [Test]
    public void List_IndexerInsertRemoveAt_AndOutOfRange()
    {
        using var list = new ProcessList<string>();
        list.Add("a").ShouldBe(0);
        list.Add("c").ShouldBe(1);
        list.Insert(1, "b");
        list[2] = "C";
        list.RemoveAt(0);
        list.ToArray().ShouldBe(["b", "C"]);
        list.Count.ShouldBe(2);
        Should.Throw<ArgumentOutOfRangeException>(() => list[2]);
        Should.Throw<ArgumentOutOfRangeException>(() => list.Insert(3, "x"));
    }
}

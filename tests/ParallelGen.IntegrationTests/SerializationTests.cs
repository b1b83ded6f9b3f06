using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using ParallelGen.IntegrationTests.Infrastructure;
using ParallelGen.IntegrationTests.Jobs;
using Shouldly;

namespace ParallelGen.IntegrationTests;

/// <summary>Arguments and results of each kind MemoryPack formats cross the process boundary intact.</summary>
public class SerializationTests : PoolFixture
{
    [Test]
    public void MemoryPackableRecord_WithListEnumDateTimeGuidAndNullable_RoundTrips()
    {
        var order = new Order(
            Guid.NewGuid(),
            "Ada",
            [new OrderLine("pen", 2, 1.25m), new OrderLine("ink", 1, 7.50m), new OrderLine("pen", 3, 1.25m)],
            new DateTime(2026, 11, 25, 10, 30, 0, DateTimeKind.Utc),
            Priority.High,
            Note: null);

        Invoice invoice = Pool.Apply(DataJobs.Remote.Bill, order);

        invoice.OrderId.ShouldBe(order.Id);
        invoice.Customer.ShouldBe("Ada");
        invoice.Total.ShouldBe(13.75m);
        invoice.DueAt.ShouldBe(new DateTime(2026, 12, 25, 10, 30, 0, DateTimeKind.Utc));
        invoice.DueAt.Kind.ShouldBe(DateTimeKind.Utc);
        invoice.Priority.ShouldBe(Priority.High);
        invoice.QuantityBySku.ShouldBe(new Dictionary<string, int> { ["pen"] = 5, ["ink"] = 1 }, ignoreOrder: true);
        invoice.WorkerProcessId.ShouldNotBe(Environment.ProcessId);
    }

    [Test]
    public void MemoryPackableRecords_Map_RoundTrip()
    {
        Order[] orders = Enumerable.Range(1, 20)
            .Select(i => new Order(Guid.NewGuid(), "c" + i, [new OrderLine("x", i, 2m)], DateTime.UnixEpoch, Priority.Low, Note: "n" + i))
            .ToArray();
        Invoice[] invoices = Pool.Map(DataJobs.Remote.Bill, orders, chunkSize: 3);
        invoices.Select(invoice => invoice.OrderId).ShouldBe(orders.Select(order => order.Id));
        invoices.Select(invoice => invoice.Total).ShouldBe(Enumerable.Range(1, 20).Select(i => 2m * i));
    }

    [Test]
    public void ListArgument_DictionaryResult() =>
        Pool.Apply(DataJobs.Remote.CountWords, ["a", "b", "a", "c", "a"])
            .ShouldBe(new Dictionary<string, int> { ["a"] = 3, ["b"] = 1, ["c"] = 1 }, ignoreOrder: true);

    [Test]
    public void DictionaryArgument_ListResult() =>
        Pool.Apply(DataJobs.Remote.Lengths, new Dictionary<string, string> { ["b"] = "four", ["a"] = "xy" })
            .ShouldBe([2, 4]);

    [Test]
    public void SingleTupleParameter_TupleResult() =>
        Pool.Apply(DataJobs.Remote.Swap, ("text", 7)).ShouldBe((7, "text"));

    [Test]
    public void SingleTupleParameter_Map() =>
        Pool.Map(DataJobs.Remote.Swap, [("a", 1), ("b", 2)]).ShouldBe([(1, "a"), (2, "b")]);

    [Test]
    public void Enum_RoundTrips() =>
        Pool.Map(DataJobs.Remote.Escalate, Enum.GetValues<Priority>()).ShouldBe([Priority.Normal, Priority.High, Priority.High]);

    [TestCase(DateTimeKind.Utc)]
    [TestCase(DateTimeKind.Local)]
    [TestCase(DateTimeKind.Unspecified)]
    public void DateTimeAndTimeSpan_RoundTrip_KeepingKind(DateTimeKind kind)
    {
        var when = new DateTime(2024, 2, 29, 23, 59, 59, 123, kind);
        DateTime shifted = Pool.Apply(DataJobs.Remote.Shift, (when, TimeSpan.FromMinutes(2)));
        shifted.ShouldBe(when.AddMinutes(2));
        shifted.Kind.ShouldBe(kind);
    }

    [Test]
    public void Guid_RoundTrips()
    {
        Guid id = Guid.NewGuid();
        Pool.Apply(DataJobs.Remote.FormatGuid, id).ShouldBe(id.ToString("N"));
    }

    [Test]
    public void GuidArrayResult_RoundTrips() =>
        Pool.Apply(DataJobs.Remote.Ids, 3).ShouldBe(Enumerable.Range(1, 3).Select(i => new Guid(i, 0, 0, new byte[8])).ToArray());

    [Test]
    public void NullableString_NullAndValue_RoundTrip()
    {
        Pool.Apply(DataJobs.Remote.Greet, null).ShouldBeNull();
        Pool.Apply(DataJobs.Remote.Greet, "Grace").ShouldBe("hi Grace");
        Pool.Map(DataJobs.Remote.Greet, ["a", null, "c"]).ShouldBe(["hi a", null, "hi c"]);
    }

    [Test]
    public void NullableValueTypes_RoundTrip()
    {
        Pool.Apply(DataJobs.Remote.Length, ("abc", null)).ShouldBe(3);
        Pool.Apply(DataJobs.Remote.Length, (null, 5)).ShouldBe(5);
        Pool.Apply(DataJobs.Remote.Length, (null, null)).ShouldBeNull();
    }

    [TestCase("")]
    [TestCase("héllo wörld ✓ 日本語 🚀")]
    [TestCase("line one\nline two\r\n\ttab \0 nul")]
    public void Strings_RoundTripExactly(string text) =>
        Pool.Apply(DataJobs.Remote.Greet, text).ShouldBe("hi " + text);

    [Test]
    public void LargeByteArray_RoundTrips()
    {
        byte[] data = new byte[8 * 1024 * 1024];
        new Random(1234).NextBytes(data);
        byte[] reversed = Pool.Apply(DataJobs.Remote.Reverse, data);
        reversed.Length.ShouldBe(data.Length);
        Array.Reverse(reversed);
        reversed.AsSpan().SequenceEqual(data).ShouldBeTrue();
    }
}

using System;
using System.Linq;
using NUnit.Framework;
using ParallelGen.IntegrationTests.Infrastructure;
using ParallelGen.IntegrationTests.Jobs;
using Shouldly;

namespace ParallelGen.IntegrationTests;

/// <summary>
/// <c>Map</c> over methods whose arguments or results are unmanaged (they travel as one block of raw memory per
/// chunk): every result equals what the method gives when called here, in input order, whatever the chunk size.
/// </summary>
public class UnmanagedMapTests : PoolFixture
{
    private static readonly int[] s_ints = [.. Enumerable.Range(-500, 1000), int.MinValue, int.MaxValue, 0, -1];

    private static readonly double[] s_doubles =
        [.. Enumerable.Range(-300, 600).Select(i => i * 0.37), double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue];

    private static readonly (int, double, byte)[] s_mixes = [.. Enumerable.Range(0, 700).Select(i => (i - 350, i * 0.125, (byte)(i * 7)))];

    private static readonly Reading[] s_readings =
        [.. Enumerable.Range(0, 700).Select(i => new Reading(i, (long)i * 1_000_000_007L * (i % 2 == 0 ? 1 : -1), (byte)i)), new Reading(int.MaxValue, long.MinValue, 255)];

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(null)]
    public void Map_IntToInt_GivesTheSerialResultsInOrder(int? chunkSize) =>
        Pool.Map(UnmanagedJobs.Remote.Mangle, s_ints, chunkSize).ShouldBe(s_ints.Select(UnmanagedJobs.Mangle).ToArray());

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(null)]
    public void Map_DoubleToDouble_GivesTheSerialResultsBitForBit(int? chunkSize) =>
        Pool.Map(UnmanagedJobs.Remote.Halve, s_doubles, chunkSize).Select(BitConverter.DoubleToInt64Bits)
            .ShouldBe(s_doubles.Select(UnmanagedJobs.Halve).Select(BitConverter.DoubleToInt64Bits));

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(null)]
    public void Map_ThreeParametersWithPaddingInTheirTuple_GivesTheSerialResults(int? chunkSize) =>
        Pool.Map(UnmanagedJobs.Remote.Mix, s_mixes, chunkSize).Select(BitConverter.DoubleToInt64Bits)
            .ShouldBe(s_mixes.Select(m => UnmanagedJobs.Mix(m.Item1, m.Item2, m.Item3)).Select(BitConverter.DoubleToInt64Bits));

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(null)]
    public void Map_UnmanagedRecordStruct_GivesTheSerialResults(int? chunkSize) =>
        Pool.Map(UnmanagedJobs.Remote.Advance, s_readings, chunkSize).ShouldBe(s_readings.Select(UnmanagedJobs.Advance).ToArray());

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(null)]
    public void Map_UnmanagedArgumentsManagedResult_GivesTheSerialResults(int? chunkSize) =>
        Pool.Map(UnmanagedJobs.Remote.Label, s_ints, chunkSize).ShouldBe(s_ints.Select(UnmanagedJobs.Label).ToArray());

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(null)]
    public void Map_ManagedArgumentsUnmanagedResult_GivesTheSerialResults(int? chunkSize)
    {
        string[] texts = [.. s_ints.Select(UnmanagedJobs.Label), string.Empty];
        Pool.Map(UnmanagedJobs.Remote.Measure, texts, chunkSize).ShouldBe(texts.Select(UnmanagedJobs.Measure).ToArray());
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(null)]
    public void Map_ItemsCompletingPartlyAfterAnAwait_GiveTheirResultsInOrder(int? chunkSize) =>
        Pool.Map(UnmanagedJobs.Remote.SometimesLater, s_ints, chunkSize)
            .ShouldBe(s_ints.Select(x => UnmanagedJobs.SometimesLater(x).Result).ToArray());

    [Test]
    public void Map_EmptyInput_GivesEmptyResults()
    {
        Pool.Map(UnmanagedJobs.Remote.Mangle, Array.Empty<int>()).ShouldBeEmpty();
        Pool.Map(UnmanagedJobs.Remote.Mix, Array.Empty<(int, double, byte)>()).ShouldBeEmpty();
        Pool.Map(UnmanagedJobs.Remote.Advance, Array.Empty<Reading>(), chunkSize: 7).ShouldBeEmpty();
        Pool.Map(UnmanagedJobs.Remote.Label, Array.Empty<int>()).ShouldBeEmpty();
        Pool.Map(UnmanagedJobs.Remote.Measure, Array.Empty<string>()).ShouldBeEmpty();
    }

    [Test]
    public void Map_ChunksLargerThanOneMegabyte_GiveTheSerialResults()
    {
        // 24-byte results, 2.4 MB per chunk: the worker takes room for them in several pieces of its result buffer.
        Reading[] many = [.. Enumerable.Range(0, 200_000).Select(i => new Reading(i, i * 3L, (byte)i))];
        Pool.Map(UnmanagedJobs.Remote.Advance, many, chunkSize: 100_000).ShouldBe(many.Select(UnmanagedJobs.Advance).ToArray());
    }

    [Test]
    public void Apply_UnmanagedRecordStruct_GivesTheSerialResult() =>
        Pool.Apply(UnmanagedJobs.Remote.Advance, s_readings[^1]).ShouldBe(UnmanagedJobs.Advance(s_readings[^1]));

    [Test]
    public void Imap_UnmanagedRecordStruct_GivesTheSerialResultsInOrder() =>
        Pool.Imap(UnmanagedJobs.Remote.Advance, s_readings.Select(r => r), chunkSize: 7).ShouldBe(s_readings.Select(UnmanagedJobs.Advance));

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(null)]
    public void Map_ItemFailingSynchronously_FailsTheMapWithItsException(int? chunkSize)
    {
        int[] items = [.. Enumerable.Range(0, 300).Select(i => i == 150 ? -1 : i)];
        RemoteException error = Should.Throw<RemoteException>(() => Pool.Map(UnmanagedJobs.Remote.RejectNegative, items, chunkSize));
        error.RemoteType.ShouldBe("System.ArgumentOutOfRangeException");
        error.Message.ShouldContain("negative item");
        Pool.Map(UnmanagedJobs.Remote.RejectNegative, s_ints.Where(x => x >= 0)).ShouldBe(s_ints.Where(x => x >= 0).ToArray(), "the pool stays usable");
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(null)]
    public void Map_ItemFailingAfterAnAwait_FailsTheMapWithItsException(int? chunkSize)
    {
        int[] items = [.. Enumerable.Range(0, 300).Select(i => i == 150 ? -1 : i)];
        RemoteException error = Should.Throw<RemoteException>(() => Pool.Map(UnmanagedJobs.Remote.RejectNegativeLater, items, chunkSize));
        error.RemoteType.ShouldBe("System.FormatException");
        error.Message.ShouldContain("negative item -1");
        Pool.Map(UnmanagedJobs.Remote.RejectNegativeLater, s_ints.Where(x => x >= 0), chunkSize)
            .ShouldBe(s_ints.Where(x => x >= 0).ToArray(), "the pool stays usable");
    }
}

using System;
using System.Buffers.Binary;
using System.Linq;
using System.Threading.Tasks;
using MemoryPack;
using NUnit.Framework;
using ParallelGen.Handles;
using ParallelGen.Serialization;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

/// <summary>
/// The raw-memory block that unmanaged arguments and results travel as: its length must match the count exactly,
/// on the worker's side (arguments) and the caller's (results), and a frame's payload may start at any address.
/// </summary>
public class UnmanagedPayloadTests
{
    private static RemoteCall<int, int> Square => HandWrittenJobs.Remote.Square.Call;

    private static ProcessPool Pool => SharedPool.Pool;

    [Test]
    public void Worker_ReadsArgumentsAtAnOddAddressAndAppendsResultsAfterWhatTheBufferHolds()
    {
        byte[] frame = new byte[1 + (3 * sizeof(int))];
        int[] arguments = [3, -4, int.MaxValue];
        for (int i = 0; i < arguments.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(1 + (i * sizeof(int))), arguments[i]);
        }

        using var results = new PayloadBuffer();
        results.Reserve(5); // as a frame header would
        Run(Square, frame.AsMemory(1), arguments.Length, results);

        results.WrittenCount.ShouldBe(5 + (3 * sizeof(int)));
        Ints(results.WrittenSpan[5..]).ShouldBe(arguments.Select(HandWrittenJobs.Square).ToArray());
    }

    [Test]
    public void Worker_WritesResultsLargerThanOneRoomOfTheBuffer()
    {
        // 1.2 MB of results: more than the worker asks its result buffer for at once.
        int[] arguments = [.. Enumerable.Range(-150_000, 300_000)];
        using var payload = new PayloadBuffer();
        Square.WriteArguments(payload, arguments);
        using var results = new PayloadBuffer();

        Run(Square, payload.WrittenSpan.ToArray(), arguments.Length, results);

        Ints(results.WrittenSpan).ShouldBe(arguments.Select(HandWrittenJobs.Square).ToArray());
    }

    [TestCase(3, 8, "4 bytes short")]
    [TestCase(1, 8, "4 unread bytes")]
    [TestCase(2, 9, "1 unread bytes")]
    [TestCase(0, 4, "4 unread bytes")]
    public void Worker_RefusesArgumentsWhoseLengthIsNotCountTimesTheSize(int count, int length, string detail)
    {
        using var results = new PayloadBuffer();
        MemoryPackSerializationException error = Should.Throw<MemoryPackSerializationException>(() => Run(Square, new byte[length], count, results));
        error.Message.ShouldContain(detail);
        error.Message.ShouldContain("disagree on the signature");
        error.Message.ShouldContain(Square.Info.Signature);
    }

    [TestCase(-1, 4)]
    [TestCase(100, 8)]
    public void Worker_RefusesACountThePayloadCannotHold(int count, int length)
    {
        using var results = new PayloadBuffer();
        Should.Throw<ProtocolException>(() => Run(Square, new byte[length], count, results))
            .Message.ShouldContain($"claims {count} argument sets in {length} bytes");
    }

    [TestCase(7)]
    [TestCase(9)]
    [TestCase(0)]
    public void Caller_RefusesResultsWhoseLengthIsNotCountTimesTheSize(int length)
    {
        var destination = new int[2];
        MemoryPackSerializationException error = Should.Throw<MemoryPackSerializationException>(() => Square.ReadResults(new byte[length], destination));
        error.Message.ShouldContain($"came as {length} bytes, not 8 for 2 results of 4 bytes");
        destination.ShouldBe([0, 0], "nothing is copied from a payload of the wrong length");
    }

    [Test]
    public void Caller_ReadsResultsAtAnOddAddress()
    {
        byte[] frame = new byte[1 + 8];
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(1), -7);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(5), int.MinValue);
        var destination = new int[2];

        Square.ReadResults(frame.AsSpan(1), destination);

        destination.ShouldBe([-7, int.MinValue]);
    }

    [Test]
    public void Worker_ArgumentsOfAnotherUnmanagedSignature_GiveTheCallerAClearRemoteException()
    {
        // The caller's build thinks Square takes a long: 8 bytes per item where the worker reads 4.
        RemoteFunc<long, int> wide = new HandWrittenHandles(typeof(HandWrittenJobs)).Func<long, int>(
            nameof(HandWrittenJobs.Square), "(int) -> int", static (args, _) => new ValueTask<int>((int)args));

        RemoteException error = Should.Throw<RemoteException>(() => Pool.Map(wide, [1L, 2L, 3L], chunkSize: 3));

        error.RemoteType.ShouldBe(typeof(MemoryPackSerializationException).FullName);
        error.Message.ShouldContain("12 unread bytes");
        Pool.Map(HandWrittenJobs.Remote.Square, [1, 2, 3]).ShouldBe([1, 4, 9], "the pool still serves");
    }

    [Test]
    public void Worker_ResultsOfAnotherUnmanagedSignature_AreRefusedByTheCaller()
    {
        // The caller's build thinks Square returns a long: it expects 8 bytes per result where the worker sends 4.
        RemoteFunc<int, long> wide = new HandWrittenHandles(typeof(HandWrittenJobs)).Func<int, long>(
            nameof(HandWrittenJobs.Square), "(int) -> int", static (args, _) => new ValueTask<long>(args));

        Should.Throw<MemoryPackSerializationException>(() => Pool.Map(wide, [1, 2, 3], chunkSize: 3))
            .Message.ShouldContain("came as 12 bytes, not 24 for 3 results of 8 bytes");
        Pool.Map(HandWrittenJobs.Remote.Square, [1, 2, 3]).ShouldBe([1, 4, 9], "the pool still serves");
    }

    private static void Run<TArgs, TResult>(RemoteCall<TArgs, TResult> call, ReadOnlyMemory<byte> arguments, int count, PayloadBuffer results) =>
        call.InvokeBatchAsync(arguments, count, results, default).AsTask().GetAwaiter().GetResult();

    private static int[] Ints(ReadOnlySpan<byte> bytes)
    {
        var values = new int[bytes.Length / sizeof(int)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(i * sizeof(int))..]);
        }

        return values;
    }
}

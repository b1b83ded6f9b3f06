using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using ParallelGen.Backends;
using ParallelGen.Protocol;
using ParallelGen.Serialization;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

/// <summary>
/// Encoded calls: small ones are copied out of a writing buffer the thread keeps for the next call, large ones keep
/// their pooled buffer. Either way every call keeps exactly the bytes written for it.
/// </summary>
public class EncodedCallTests
{
    [Test]
    public void CallsEncodedOneAfterAnotherOnOneThread_EachKeepItsOwnBytes()
    {
        RemoteMethod method = HandWrittenJobs.Remote.Square;
        int[] sizes = [0, 4, 100, 480, 600, 5_000, 8, 70_000, 3, 2_000_000, 1];
        var calls = new List<(EncodedCall Call, byte[] Arguments)>();
        foreach (int size in sizes)
        {
            byte[] arguments = Enumerable.Range(0, size).Select(i => (byte)(i * 7 + size)).ToArray();
            PayloadBuffer buffer = EncodedCall.Begin(size % 3 == 0 ? size : 8); // hints right and wrong
            arguments.CopyTo(buffer.GetSpan(size));
            buffer.Advance(size);
            calls.Add((EncodedCall.End(method, buffer, 1), arguments));
        }

        foreach ((EncodedCall call, byte[] arguments) in calls)
        {
            ReadOnlySpan<byte> payload = call.Payload;
            BinaryPrimitives.ReadUInt64LittleEndian(payload).ShouldBe(method.Info.Id);
            BinaryPrimitives.ReadInt32LittleEndian(payload[8..]).ShouldBe(1);
            payload[InvokePayload.PrefixSize..].ToArray().ShouldBe(arguments);
            call.WithHeadroom.Length.ShouldBe(EncodedCall.Headroom + payload.Length);
        }

        foreach ((EncodedCall call, _) in calls)
        {
            call.Release();
            call.Payload.IsEmpty.ShouldBeTrue();
            call.WithHeadroom.IsEmpty.ShouldBeTrue();
        }
    }

    [TestCase(10)]
    [TestCase(100_000)]
    public void FromPayload_CopiesThePayloadBehindFreshHeadroom(int size)
    {
        byte[] payload = new byte[InvokePayload.PrefixSize + size];
        Random.Shared.NextBytes(payload);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(8), 3);
        EncodedCall call = EncodedCall.FromPayload(HandWrittenJobs.Remote.Square, traced: false, payload);
        call.Count.ShouldBe(3);
        call.Payload.ToArray().ShouldBe(payload);
        call.WithHeadroom.Length.ShouldBe(EncodedCall.Headroom + payload.Length);
    }
}

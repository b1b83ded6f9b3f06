using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using ParallelGen.Transport;

namespace ParallelGen.Protocol.Tests.Infrastructure;

/// <summary>Builds frames byte for byte, valid or not, in the wire format of <see cref="FrameHeader"/>.</summary>
internal static class Frames
{
    public static byte[] Build(FrameKind kind, long id, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[FrameHeader.Size + payload.Length];
        FrameHeader.Write(frame, payload.Length, kind, id);
        payload.CopyTo(frame.AsSpan(FrameHeader.Size));
        return frame;
    }

    /// <summary>A header whose length field says <paramref name="lengthField"/>, whatever that means.</summary>
    public static byte[] Header(int lengthField, FrameKind kind = FrameKind.Result, long id = 1)
    {
        var header = new byte[FrameHeader.Size];
        BinaryPrimitives.WriteInt32LittleEndian(header, lengthField);
        header[4] = (byte)kind;
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(5), id);
        return header;
    }

    /// <summary>An Invoke payload: method id, argument-set count, encoded arguments.</summary>
    public static byte[] InvokePayload(ulong methodId, int count, ReadOnlySpan<byte> arguments)
    {
        var payload = new byte[12 + arguments.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(payload, methodId);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(8), count);
        arguments.CopyTo(payload.AsSpan(12));
        return payload;
    }

    public static byte[] Concat(IEnumerable<byte[]> parts)
    {
        var all = new List<byte>();
        foreach (byte[] part in parts)
        {
            all.AddRange(part);
        }

        return all.ToArray();
    }

    public static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}

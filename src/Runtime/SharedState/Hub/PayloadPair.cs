using System;
using System.Buffers.Binary;
using ParallelGen.Channels;
using ParallelGen.Serialization;

namespace ParallelGen.SharedState.Hub;

/// <summary>Encodes several values (a key and a value, an index and an item) as one request payload: each length-prefixed.</summary>
internal static class PayloadPair
{
    public static byte[] Join<TFirst, TSecond>(TFirst first, TSecond second) =>
        Join([MemoryPackStates.Serialize(first), MemoryPackStates.Serialize(second)]);

    public static byte[] Join<TFirst, TSecond, TThird>(TFirst first, TSecond second, TThird third) =>
        Join([MemoryPackStates.Serialize(first), MemoryPackStates.Serialize(second), MemoryPackStates.Serialize(third)]);

    public static (TFirst First, TSecond Second) Split<TFirst, TSecond>(ReadOnlySpan<byte> payload) =>
        (Decode<TFirst>(Part(payload, 0)), Decode<TSecond>(Part(payload, 1)));

    public static (TFirst First, TSecond Second, TThird Third) Split<TFirst, TSecond, TThird>(ReadOnlySpan<byte> payload) =>
        (Decode<TFirst>(Part(payload, 0)), Decode<TSecond>(Part(payload, 1)), Decode<TThird>(Part(payload, 2)));

    public static T Decode<T>(ReadOnlySpan<byte> bytes) => ChannelItemCodec.Decode<T>(bytes);

    private static byte[] Join(ReadOnlySpan<byte[]> parts)
    {
        int total = 0;
        foreach (byte[] part in parts)
        {
            total += 4 + part.Length;
        }

        var payload = new byte[total];
        int offset = 0;
        foreach (byte[] part in parts)
        {
            BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(offset), part.Length);
            part.CopyTo(payload, offset + 4);
            offset += 4 + part.Length;
        }

        return payload;
    }

    private static ReadOnlySpan<byte> Part(ReadOnlySpan<byte> payload, int index)
    {
        while (true)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(payload);
            if (index-- == 0)
            {
                return payload.Slice(4, length);
            }

            payload = payload[(4 + length)..];
        }
    }
}

using System;
using System.Buffers.Binary;

namespace ParallelGen.Transport;

/// <summary>
/// The fixed frame header: <c>[i32 length][u8 kind][i64 id]</c>, little-endian, where length counts the bytes
/// after the length field (kind + id + payload).
/// </summary>
internal static class FrameHeader
{
    public const int Size = 13;
    public const int LengthFieldSize = 4;
    public const int MinimumLength = Size - LengthFieldSize;

    /// <summary>The largest length field allowed for messages of at most <paramref name="maxMessageBytes"/>.</summary>
    public static int MaxLengthFor(int maxMessageBytes) => (int)Math.Min(int.MaxValue, (long)MinimumLength + maxMessageBytes);

    public static void Write(Span<byte> destination, int payloadLength, FrameKind kind, long id)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, checked(MinimumLength + payloadLength));
        destination[4] = (byte)kind;
        BinaryPrimitives.WriteInt64LittleEndian(destination[5..], id);
    }
}

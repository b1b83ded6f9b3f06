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

    /// <summary>Reads a header written by <see cref="Write"/>; false if fewer than <see cref="Size"/> bytes are given.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out int length, out FrameKind kind, out long id)
    {
        if (source.Length < Size)
        {
            (length, kind, id) = (0, default, 0);
            return false;
        }

        length = BinaryPrimitives.ReadInt32LittleEndian(source);
        kind = (FrameKind)source[4];
        id = BinaryPrimitives.ReadInt64LittleEndian(source[5..]);
        return true;
    }

    public static void Write(Span<byte> destination, int payloadLength, FrameKind kind, long id)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, checked(MinimumLength + payloadLength));
        destination[4] = (byte)kind;
        BinaryPrimitives.WriteInt64LittleEndian(destination[5..], id);
    }
}

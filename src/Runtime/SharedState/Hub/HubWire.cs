using System;
using System.Buffers.Binary;
using System.IO;
using System.Net.Sockets;

namespace ParallelGen.SharedState.Hub;

/// <summary>
/// The hub's frames, each prefixed by its length (little-endian int32).
/// Request: request id (int64), object id (int64), op (byte), timeout in ms (int32, -1 = none), payload.
/// Reply: request id (int64), status (byte), payload.
/// </summary>
internal static class HubWire
{
    public const int TokenLength = 32;
    public const int RequestHeader = 8 + 8 + 1 + 4;
    public const int ReplyHeader = 8 + 1;

    /// <summary>No single item or snapshot is larger than this; a longer frame means a broken peer.</summary>
    public const int MaxFrameLength = 1 << 30;

    public static byte[] Request(long requestId, long objectId, byte op, int timeoutMs, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[4 + RequestHeader + payload.Length];
        Span<byte> span = frame;
        BinaryPrimitives.WriteInt32LittleEndian(span, RequestHeader + payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(span[4..], requestId);
        BinaryPrimitives.WriteInt64LittleEndian(span[12..], objectId);
        span[20] = op;
        BinaryPrimitives.WriteInt32LittleEndian(span[21..], timeoutMs);
        payload.CopyTo(span[(4 + RequestHeader)..]);
        return frame;
    }

    public static byte[] Reply(long requestId, HubStatus status, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[4 + ReplyHeader + payload.Length];
        Span<byte> span = frame;
        BinaryPrimitives.WriteInt32LittleEndian(span, ReplyHeader + payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(span[4..], requestId);
        span[12] = (byte)status;
        payload.CopyTo(span[(4 + ReplyHeader)..]);
        return frame;
    }

    /// <summary>Reads one frame body (without its length), or null when the peer closed between frames.</summary>
    /// <exception cref="ProtocolException">A length out of range, or the peer closed mid-frame.</exception>
    public static byte[]? ReadFrame(Stream stream, int minimumLength)
    {
        Span<byte> prefix = stackalloc byte[4];
        int read = stream.ReadAtLeast(prefix, 4, throwOnEndOfStream: false);
        if (read == 0)
        {
            return null;
        }

        if (read < 4)
        {
            throw new ProtocolException("A shared-state connection closed in the middle of a frame.");
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length < minimumLength || length > MaxFrameLength)
        {
            throw new ProtocolException($"Invalid shared-state frame length {length}.");
        }

        var body = new byte[length];
        try
        {
            stream.ReadExactly(body);
        }
        catch (EndOfStreamException)
        {
            throw new ProtocolException("A shared-state connection closed in the middle of a frame.");
        }

        return body;
    }

    public static void SendAll(Socket socket, ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            bytes = bytes[socket.Send(bytes)..];
        }
    }
}

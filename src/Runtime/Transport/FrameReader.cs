using System;
using System.Net.Sockets;
using ParallelGen.Serialization;

namespace ParallelGen.Transport;

/// <summary>
/// Reads length-prefixed frames from a connection (<see cref="IByteLink"/>). Small frames are parsed out of one receive buffer
/// (many frames per system call); a large payload is received straight into its own pooled array.
/// Not thread-safe: one reader thread per connection.
/// </summary>
internal sealed class FrameReader
{
    private const int BufferSize = 64 * 1024;
    private const int GrowthStart = 1024 * 1024;

    private readonly IByteLink _link;
    private readonly int _maxFrameLength;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _start;
    private int _end;

    public FrameReader(Socket socket, int maxFrameLength)
        : this(new SocketLink(socket), maxFrameLength)
    {
    }

    public FrameReader(IByteLink link, int maxFrameLength)
    {
        _link = link;
        _maxFrameLength = maxFrameLength;
    }

    /// <summary>
    /// True if the next frame is already complete in the receive buffer: <see cref="TryRead"/> returns it without a
    /// system call. Readers use it to handle everything one receive brought before acting on it once.
    /// </summary>
    public bool HasBufferedFrame
    {
        get
        {
            int buffered = _end - _start;
            return FrameHeader.TryRead(_buffer.AsSpan(_start, buffered), out int length, out _, out _)
                && length >= FrameHeader.MinimumLength
                && buffered - FrameHeader.LengthFieldSize >= length;
        }
    }

    /// <summary>Reads the next frame.</summary>
    /// <returns>False when the peer closed the connection cleanly between frames.</returns>
    /// <exception cref="ProtocolException">The bytes are not a valid frame, or the peer stopped mid-frame.</exception>
    public bool TryRead(out Frame frame)
    {
        frame = default;
        if (!Fill(FrameHeader.Size))
        {
            if (_end == _start)
            {
                return false;
            }

            throw new ProtocolException($"The connection closed in the middle of a frame header ({_end - _start} of {FrameHeader.Size} bytes).");
        }

        ReadOnlySpan<byte> header = _buffer.AsSpan(_start, FrameHeader.Size);
        FrameHeader.TryRead(header, out int length, out FrameKind kind, out long id);
        if (length < FrameHeader.MinimumLength || length > _maxFrameLength)
        {
            throw new ProtocolException($"Invalid frame length {length}: it must be between {FrameHeader.MinimumLength} and {_maxFrameLength} bytes.");
        }

        _start += FrameHeader.Size;

        int payloadLength = length - FrameHeader.MinimumLength;
        if (payloadLength == 0)
        {
            frame = new Frame(kind, id, null, 0);
            return true;
        }

        byte[] payload = ReceivePayload(payloadLength);
        frame = new Frame(kind, id, payload, payloadLength);
        return true;
    }

    /// <summary>
    /// Receives a payload into a pooled array. A large payload gets its full buffer only after its first megabyte
    /// has arrived, so a length prefix alone (a bug or a lie) can never make this process allocate what the peer
    /// did not send.
    /// </summary>
    private byte[] ReceivePayload(int payloadLength)
    {
        byte[] payload = ByteBuffers.Rent(Math.Min(payloadLength, GrowthStart));
        try
        {
            int filled = Math.Min(payloadLength, _end - _start);
            _buffer.AsSpan(_start, filled).CopyTo(payload);
            _start += filled;
            while (filled < payloadLength)
            {
                if (filled == payload.Length)
                {
                    // Once the peer has actually sent the first megabyte, take its length at its word: one more
                    // buffer, not a doubling series of copies of a large payload.
                    byte[] larger = ByteBuffers.Rent(payloadLength);
                    payload.AsSpan(0, filled).CopyTo(larger);
                    ByteBuffers.Return(payload);
                    payload = larger;
                }

                int received = _link.Receive(payload.AsSpan(filled, Math.Min(payload.Length, payloadLength) - filled));
                if (received == 0)
                {
                    throw new ProtocolException($"The connection closed in the middle of a frame ({payloadLength - filled} payload bytes missing).");
                }

                filled += received;
            }

            return payload;
        }
        catch
        {
            ByteBuffers.Return(payload);
            throw;
        }
    }

    /// <summary>Ensures <paramref name="count"/> bytes are buffered; false on end of stream first.</summary>
    private bool Fill(int count)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        while (_end < count)
        {
            int received = _link.Receive(_buffer.AsSpan(_end));
            if (received == 0)
            {
                return false;
            }

            _end += received;
        }

        return true;
    }
}

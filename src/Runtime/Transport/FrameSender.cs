using System;
using System.Net.Sockets;

namespace ParallelGen.Transport;

/// <summary>
/// Sends whole frames on a connection (<see cref="IByteLink"/>). Callers hold <see cref="SyncRoot"/> around anything that must be
/// ordered with the send (e.g. recording a call as in flight); one frame is never interleaved with another.
/// </summary>
internal sealed class FrameSender
{
    private readonly IByteLink _link;

    public FrameSender(Socket socket)
        : this(new SocketLink(socket))
    {
    }

    public FrameSender(IByteLink link)
    {
        _link = link;
    }

    public object SyncRoot { get; } = new();

    /// <summary>Sends a complete frame (header included). Call under <see cref="SyncRoot"/>.</summary>
    public void SendFrame(ReadOnlySpan<byte> frame) => _link.Send(frame);

    /// <summary>Builds and sends a frame from a header and a small payload.</summary>
    public void Send(FrameKind kind, long id, ReadOnlySpan<byte> payload)
    {
        int total = FrameHeader.Size + payload.Length;
        byte[]? rented = null;
        Span<byte> frame = total <= 512 ? stackalloc byte[total] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(total)).AsSpan(0, total);
        try
        {
            FrameHeader.Write(frame, payload.Length, kind, id);
            payload.CopyTo(frame[FrameHeader.Size..]);
            lock (SyncRoot)
            {
                SendFrame(frame);
            }
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}

using System;
using System.Net.Sockets;
using ParallelGen.Transport.SharedMemory;

namespace ParallelGen.Transport;

/// <summary>
/// A two-way byte stream between the parent and one worker, as frames travel on it: a connected socket, or a pair of
/// shared-memory rings. Receive blocks for at least one byte and returns 0 at the end of the stream; Send writes all.
/// </summary>
internal interface IByteLink
{
    int Receive(Span<byte> buffer);

    void Send(ReadOnlySpan<byte> bytes);
}

/// <summary>A connected socket as a <see cref="IByteLink"/>.</summary>
internal sealed class SocketLink(Socket socket) : IParentSocket
{
    public int Receive(Span<byte> buffer) => socket.Receive(buffer, SocketFlags.None);

    public void Send(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            bytes = bytes[socket.Send(bytes, SocketFlags.None)..];
        }
    }

    public bool TryGetPeerCredentials(out PeerCredentials credentials) => PeerCredentials.TryGet(socket, out credentials);

    public void Dispose() => socket.Dispose();
}

/// <summary>Two shared-memory rings as a <see cref="IByteLink"/>: one this side reads, one it writes.</summary>
internal sealed class RingLink(ByteRing incoming, ByteRing outgoing) : IByteLink
{
    public int Receive(Span<byte> buffer) => incoming.Read(buffer);

    public void Send(ReadOnlySpan<byte> bytes) => outgoing.Write(bytes);
}

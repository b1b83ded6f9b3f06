using System;
using System.Net.Sockets;
using System.Threading;
using ParallelGen.Transport;

namespace ParallelGen.Protocol.Tests.Infrastructure;

/// <summary>
/// A connected pair of Unix domain sockets made the way the pool makes them (<see cref="SocketAddress"/>):
/// <see cref="Peer"/> plays the other side and writes bytes; <see cref="Local"/> is read by the real <see cref="FrameReader"/>.
/// Every receive on <see cref="Local"/> is bounded by a timeout, so a decoder that waits for bytes that never come
/// fails the test instead of hanging it.
/// </summary>
internal sealed class SocketPair : IDisposable
{
    public const int ReceiveTimeoutMilliseconds = 10_000;

    private SocketPair(Socket local, Socket peer)
    {
        Local = local;
        Peer = peer;
    }

    public Socket Local { get; }

    public Socket Peer { get; }

    public static SocketPair Create()
    {
        string address = SocketAddress.CreateUnique();
        using Socket listener = SocketAddress.Listen(address);
        Socket peer = SocketAddress.Connect(address);
        Socket local = listener.Accept();
        SocketAddress.Delete(address);
        local.ReceiveTimeout = ReceiveTimeoutMilliseconds;
        peer.ReceiveTimeout = ReceiveTimeoutMilliseconds;
        return new SocketPair(local, peer);
    }

    public FrameReader CreateReader(int maxMessageBytes) => new(Local, FrameHeader.MaxLengthFor(maxMessageBytes));

    /// <summary>Writes all of <paramref name="bytes"/> from the peer, then closes the peer's sending side (EOF for the reader).</summary>
    public void SendAndClose(ReadOnlySpan<byte> bytes)
    {
        SendAll(Peer, bytes);
        Peer.Shutdown(SocketShutdown.Send);
    }

    public static void SendAll(Socket socket, ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            bytes = bytes[socket.Send(bytes, SocketFlags.None)..];
        }
    }

    /// <summary>
    /// Waits until the reader has taken every byte sent so far out of the socket: an event, not a delay, so the
    /// next piece is guaranteed to arrive in a separate receive call.
    /// </summary>
    public void WaitUntilDrained(CancellationToken cancellationToken)
    {
        var spin = new SpinWait();
        while (Local.Available > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            spin.SpinOnce();
        }
    }

    public void Dispose()
    {
        Local.Dispose();
        Peer.Dispose();
    }
}

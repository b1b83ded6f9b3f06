using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using ParallelGen.Transport;

namespace ParallelGen.SharedState.Hub;

/// <summary>
/// This process's connection to another process's hub: made on first use, one per hub, shared by every object of
/// that hub and every thread. A reader thread hands each answer to its request. When the connection is lost (the
/// owner exited or was killed), every waiting request and every later one gets <see cref="HubStatus.ConnectionLost"/>:
/// there is no reconnecting, since what the old connection held (locks, pipe ends) is gone with it.
/// </summary>
internal sealed class HubClient : IHubTransport
{
    private static readonly ConcurrentDictionary<string, Lazy<HubClient>> s_clients = new();
    private static readonly TimeSpan s_handshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<long, TaskCompletionSource<HubReply>> _pending = new();
    private readonly object _sendLock = new();
    private readonly Socket? _socket;
    private long _nextRequestId;
    private volatile bool _lost;

    private HubClient(string address, byte[] token)
    {
        try
        {
            _socket = Connect(address, token);
            new Thread(ReadLoop) { IsBackground = true, Name = "ParallelGen shared-state client" }.Start();
        }
        catch (Exception exception) when (exception is SocketException or IOException or UnauthorizedAccessException)
        {
            _lost = true;
        }
    }

    /// <summary>The connection to the hub at <paramref name="address"/>, made on first use.</summary>
    public static HubClient For(string address, byte[] token) =>
        s_clients.GetOrAdd(address, static (key, t) => new Lazy<HubClient>(() => new HubClient(key, t)), token).Value;

    public Task<HubReply> CallAsync(long objectId, byte op, int timeoutMs, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        long requestId = Interlocked.Increment(ref _nextRequestId);
        var reply = new TaskCompletionSource<HubReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[requestId] = reply;
        if (!TrySend(HubWire.Request(requestId, objectId, op, timeoutMs, payload.Span)))
        {
            Fail(requestId);
            return reply.Task;
        }

        if (cancellationToken.CanBeCanceled)
        {
            // The hub answers a withdrawn request with Cancelled, or with the item it had already given it: never lost.
            CancellationTokenRegistration registration = cancellationToken.Register(
                static state => { var (client, id) = ((HubClient, long))state!; client.TrySend(HubWire.Request(0, 0, HubOp.CancelRequest, -1, BitConverter.GetBytes(id))); },
                (this, requestId));
            reply.Task.ContinueWith(static (_, state) => ((CancellationTokenRegistration)state!).Dispose(), registration, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return reply.Task;
    }

    private static Socket Connect(string address, byte[] token)
    {
        Socket socket = SocketAddress.Connect(address);
        try
        {
            if (!PeerCredentials.IsSameUser(socket))
            {
                throw new UnauthorizedAccessException("The shared-state hub runs as another user.");
            }

            HubWire.SendAll(socket, token);
            socket.ReceiveTimeout = (int)s_handshakeTimeout.TotalMilliseconds;
            var ack = new byte[1];
            if (socket.Receive(ack) != 1)
            {
                throw new IOException("The shared-state hub refused the connection.");
            }

            socket.ReceiveTimeout = 0;
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private bool TrySend(byte[] frame)
    {
        if (_lost || _socket is null)
        {
            return false;
        }

        lock (_sendLock)
        {
            try
            {
                HubWire.SendAll(_socket, frame);
                return true;
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                return false;
            }
        }
    }

    private void ReadLoop()
    {
        try
        {
            using var stream = new BufferedStream(new NetworkStream(_socket!, ownsSocket: false), 64 * 1024);
            while (HubWire.ReadFrame(stream, HubWire.ReplyHeader) is { } frame)
            {
                long requestId = BinaryPrimitives.ReadInt64LittleEndian(frame);
                if (_pending.TryRemove(requestId, out TaskCompletionSource<HubReply>? reply))
                {
                    reply.TrySetResult(new HubReply((HubStatus)frame[8], frame.AsSpan(HubWire.ReplyHeader).ToArray()));
                }
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or ProtocolException or ObjectDisposedException)
        {
            // Treated as the hub's process having gone away.
        }

        _lost = true;
        _socket!.Dispose();
        foreach (long requestId in _pending.Keys)
        {
            Fail(requestId);
        }
    }

    private void Fail(long requestId)
    {
        if (_pending.TryRemove(requestId, out TaskCompletionSource<HubReply>? reply))
        {
            reply.TrySetResult(HubReply.Of(HubStatus.ConnectionLost));
        }
    }
}

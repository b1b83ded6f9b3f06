using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO;
using System.Net.Sockets;
using System.Threading;

namespace ParallelGen.SharedState.Hub;

/// <summary>
/// The hub's side of one process's connection. Requests are read and handled in arrival order on this session's
/// own thread (so one process's operations on an object happen in the order it made them); answers to parked
/// requests are written from whichever thread completes them. When the connection closes, every object hears it:
/// locks the process held are released as abandoned, pipe ends it owned close.
/// </summary>
internal sealed class HubSession
{
    private readonly SharedStateHub _hub;
    private readonly Socket _socket;
    private readonly object _sendLock = new();
    private readonly ConcurrentDictionary<long, RemoteWaiter> _parked = new();
    private bool _closed;

    public HubSession(SharedStateHub hub, Socket socket)
    {
        _hub = hub;
        _socket = socket;
    }

    public void Start() => new Thread(Run) { IsBackground = true, Name = "ParallelGen shared-state session" }.Start();

    private void Run()
    {
        try
        {
            using var stream = new BufferedStream(new NetworkStream(_socket, ownsSocket: false), 64 * 1024);
            while (HubWire.ReadFrame(stream, HubWire.RequestHeader) is { } frame)
            {
                long requestId = BinaryPrimitives.ReadInt64LittleEndian(frame);
                long objectId = BinaryPrimitives.ReadInt64LittleEndian(frame.AsSpan(8));
                byte op = frame[16];
                int timeoutMs = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(17));
                ReadOnlySpan<byte> payload = frame.AsSpan(HubWire.RequestHeader);
                if (objectId == 0 && op == HubOp.CancelRequest)
                {
                    if (_parked.TryGetValue(BinaryPrimitives.ReadInt64LittleEndian(payload), out RemoteWaiter? parked))
                    {
                        parked.Expire(HubStatus.Cancelled);
                    }

                    continue;
                }

                var waiter = new RemoteWaiter(this, requestId);
                _parked[requestId] = waiter;
                if (_hub.TryGet(objectId, out HubObject? target))
                {
                    target.Handle(op, payload, timeoutMs, waiter);
                }
                else
                {
                    waiter.TryComplete(HubStatus.Disposed);
                }
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or ProtocolException or ObjectDisposedException)
        {
            // The process at the other end exited, was killed, or sent garbage: treated alike.
        }

        Close();
    }

    private void Close()
    {
        lock (_sendLock)
        {
            _closed = true;
        }

        _socket.Dispose();
        _hub.OnSessionClosed(this);
        _parked.Clear();
    }

    private void SendReply(long requestId, HubReply reply)
    {
        _parked.TryRemove(requestId, out _);
        byte[] frame = HubWire.Reply(requestId, reply.Status, reply.Payload);
        lock (_sendLock)
        {
            if (_closed)
            {
                return;
            }

            try
            {
                HubWire.SendAll(_socket, frame);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                // The reader thread sees the same broken connection and cleans up.
            }
        }
    }

    /// <summary>A request from this session; its answer is written back on the connection.</summary>
    private sealed class RemoteWaiter : HubWaiter
    {
        private readonly long _requestId;

        public RemoteWaiter(HubSession session, long requestId)
            : base(session)
        {
            _requestId = requestId;
        }

        protected override void Deliver(HubReply reply) => Session!.SendReply(_requestId, reply);
    }
}

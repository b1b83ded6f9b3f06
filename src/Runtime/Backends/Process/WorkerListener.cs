using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ParallelGen.Telemetry;
using ParallelGen.Transport;

namespace ParallelGen.Backends.Process;

/// <summary>
/// The socket workers connect to. Reads each connection's Hello (header, slot key, launch token, pid) and hands it
/// to <see cref="ProcessBackend"/> to match against the worker it started; anything else is dropped without a byte
/// back. The read is asynchronous and short-lived, so connections that never speak hold no thread, and at most
/// <see cref="MaxPendingHandshakes"/> of them wait at a time. Connections of other users are closed unread.
/// </summary>
internal sealed class WorkerListener : IDisposable
{
    /// <summary>Bytes of the launch token a worker presents.</summary>
    public const int TokenSize = 32;

    /// <summary>Header, launch token, process id.</summary>
    private const int HelloFrameSize = FrameHeader.Size + TokenSize + sizeof(int);
    private static readonly TimeSpan s_helloTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Connections whose Hello is still awaited; more are closed at once, so a flood cannot pile up.</summary>
    internal const int MaxPendingHandshakes = 64;

    private static readonly TimeSpan s_firstBackoff = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(1);

    private readonly Socket _socket;
    private readonly Func<Socket, Hello, bool> _accept;
    private readonly Func<int, bool> _isAwaitedProcess;
    private readonly ILogger _logger;
    private int _pendingHandshakes;
    private int _disposed;

    /// <summary>Accepted connections whose Hello is still awaited, strangers' and workers' alike; under its own lock.</summary>
    private readonly HashSet<Socket> _awaitingHello = new();

    /// <param name="accept">Takes a connection whose Hello is well formed; false drops it.</param>
    /// <param name="isAwaitedProcess">
    /// True for the id of a process started as a worker and not connected yet: its connection skips the queue of
    /// strangers (the handshake cap), so a flood cannot keep replacement workers out.
    /// </param>
    /// <param name="logger">Hears about failed accepts (the process out of file descriptors, say).</param>
    public WorkerListener(Func<Socket, Hello, bool> accept, Func<int, bool>? isAwaitedProcess = null, ILogger? logger = null)
    {
        _accept = accept;
        _isAwaitedProcess = isAwaitedProcess ?? (static _ => false);
        _logger = logger ?? NullLogger.Instance;
        Address = SocketAddress.CreateUnique();
        _socket = SocketAddress.Listen(Address);
        new Thread(AcceptLoop) { IsBackground = true, Name = "ParallelGen accept" }.Start();
    }

    public string Address { get; }

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Stops accepting connections; safe to call more than once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _socket.Dispose();
            SocketAddress.Delete(Address);

            // A connection still waiting for its Hello would otherwise stay open until that Hello or its timeout,
            // after the pool that owned it is gone.
            Socket[] waiting;
            lock (_awaitingHello)
            {
                waiting = [.. _awaitingHello];
                _awaitingHello.Clear();
            }

            foreach (Socket connection in waiting)
            {
                connection.Dispose();
            }
        }
    }

    /// <summary>How many accepted connections are waiting for their Hello (tests watch it).</summary>
    internal int AwaitingHello
    {
        get
        {
            lock (_awaitingHello)
            {
                return _awaitingHello.Count;
            }
        }
    }

    /// <summary>
    /// Accepts until the listener is disposed, and only then stops: a failed accept (no file descriptors left, no
    /// buffer space, a connection reset while queued) is logged and retried after a growing pause, because every
    /// replacement worker of the pool's life has to come through here.
    /// </summary>
    private void AcceptLoop()
    {
        TimeSpan backoff = s_firstBackoff;
        while (!IsDisposed)
        {
            Socket connection;
            try
            {
                connection = _socket.Accept();
                backoff = s_firstBackoff;
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                if (IsDisposed)
                {
                    return;
                }

                PoolLog.AcceptFailed(_logger, (exception as SocketException)?.SocketErrorCode ?? SocketError.OperationAborted, backoff, exception);
                Thread.Sleep(backoff);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, s_maxBackoff.Ticks));
                continue;
            }

            PeerCredentials? peer = PeerOf(connection);
            if (peer is { } other && other.UserId != PeerCredentials.CurrentUserId)
            {
                connection.Dispose(); // another user's: closed before it may say anything
                continue;
            }

            // A worker this pool started is never queued behind strangers, nor does it take one of their places: a
            // flood of connections cannot keep a replacement worker out, and a worker's own connection cannot push a
            // stranger past the cap.
            bool awaited = peer is { } known && _isAwaitedProcess(known.ProcessId);
            if (!awaited && Interlocked.Increment(ref _pendingHandshakes) > MaxPendingHandshakes)
            {
                Interlocked.Decrement(ref _pendingHandshakes);
                connection.Dispose();
                continue;
            }

            _ = HandshakeAsync(connection, holdsAPlace: !awaited); // a place is given back when the Hello is in, or not
        }
    }

    /// <summary>Who connected, where the kernel can tell (null elsewhere, or when the peer is gone already).</summary>
    private static PeerCredentials? PeerOf(Socket connection)
    {
        try
        {
            return PeerCredentials.TryGet(connection, out PeerCredentials peer) ? peer : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private async Task HandshakeAsync(Socket connection, bool holdsAPlace)
    {
        bool handedOver = false;
        lock (_awaitingHello)
        {
            _awaitingHello.Add(connection);
        }

        try
        {
            if (IsDisposed)
            {
                return; // disposed between the accept and the line above: Dispose may not have seen this connection
            }

            byte[] hello = new byte[HelloFrameSize];
            using (var timeout = new CancellationTokenSource(s_helloTimeout))
            {
                for (int filled = 0; filled < hello.Length;)
                {
                    int received = await connection.ReceiveAsync(hello.AsMemory(filled), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                    if (received == 0)
                    {
                        return;
                    }

                    filled += received;
                    if (filled >= FrameHeader.Size && filled - received < FrameHeader.Size && !Hello.IsHelloHeader(hello))
                    {
                        return; // a header that cannot start a Hello: dropped now, not when the timeout ends the wait
                    }
                }
            }

            handedOver = Hello.TryParse(hello, out Hello parsed) && _accept(connection, parsed);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Dropped below.
        }
        finally
        {
            Forget(connection);
            if (holdsAPlace)
            {
                Interlocked.Decrement(ref _pendingHandshakes);
            }

            if (!handedOver)
            {
                connection.Dispose();
            }
        }
    }

    private void Forget(Socket connection)
    {
        lock (_awaitingHello)
        {
            _awaitingHello.Remove(connection);
        }
    }

    /// <summary>A worker's first frame.</summary>
    internal readonly struct Hello
    {
        private readonly byte[] _frame;

        private Hello(byte[] frame, long key, int processId)
        {
            _frame = frame;
            Key = key;
            ProcessId = processId;
        }

        public long Key { get; }

        public int ProcessId { get; }

        public ReadOnlySpan<byte> Token => _frame.AsSpan(FrameHeader.Size, TokenSize);

        /// <summary>Whether the frame header at the start of <paramref name="frame"/> is a Hello's, whatever follows it.</summary>
        public static bool IsHelloHeader(byte[] frame) =>
            FrameHeader.TryRead(frame, out int length, out FrameKind kind, out _)
            && length == HelloFrameSize - FrameHeader.LengthFieldSize
            && kind == FrameKind.Hello;

        public static bool TryParse(byte[] frame, out Hello hello)
        {
            hello = default;
            if (!IsHelloHeader(frame) || !FrameHeader.TryRead(frame, out _, out _, out long key))
            {
                return false;
            }

            hello = new Hello(frame, key, BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(FrameHeader.Size + TokenSize)));
            return true;
        }
    }
}

using System;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using ParallelGen.Transport;

namespace ParallelGen.Backends.Process;

/// <summary>
/// The socket workers connect to. Reads each connection's Hello (header, slot key, launch token, pid) and hands it
/// to <see cref="ProcessBackend"/> to match against the worker it started; anything else is dropped without a byte
/// back. The read is asynchronous and short-lived, so connections that never speak hold no thread.
/// </summary>
internal sealed class WorkerListener : IDisposable
{
    /// <summary>Bytes of the launch token a worker presents.</summary>
    public const int TokenSize = 32;

    /// <summary>Header, launch token, process id.</summary>
    private const int HelloFrameSize = FrameHeader.Size + TokenSize + sizeof(int);
    private static readonly TimeSpan s_helloTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly Func<Socket, Hello, bool> _accept;
    private int _disposed;

    /// <param name="accept">Takes a connection whose Hello is well formed; false drops it.</param>
    public WorkerListener(Func<Socket, Hello, bool> accept)
    {
        _accept = accept;
        Address = SocketAddress.CreateUnique();
        _socket = SocketAddress.Listen(Address);
        new Thread(AcceptLoop) { IsBackground = true, Name = "ParallelGen accept" }.Start();
    }

    public string Address { get; }

    /// <summary>Stops accepting connections; safe to call more than once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _socket.Dispose();
            SocketAddress.Delete(Address);
        }
    }

    private void AcceptLoop()
    {
        while (true)
        {
            Socket connection;
            try
            {
                connection = _socket.Accept();
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                return; // listener closed
            }

            _ = HandshakeAsync(connection);
        }
    }

    private async Task HandshakeAsync(Socket connection)
    {
        try
        {
            byte[] hello = new byte[HelloFrameSize];
            using (var timeout = new CancellationTokenSource(s_helloTimeout))
            {
                for (int filled = 0; filled < hello.Length;)
                {
                    int received = await connection.ReceiveAsync(hello.AsMemory(filled), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                    if (received == 0)
                    {
                        connection.Dispose();
                        return;
                    }

                    filled += received;
                }
            }

            if (!Hello.TryParse(hello, out Hello parsed) || !_accept(connection, parsed))
            {
                connection.Dispose();
            }
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            connection.Dispose();
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

        public static bool TryParse(byte[] frame, out Hello hello)
        {
            hello = default;
            if (!FrameHeader.TryRead(frame, out int length, out FrameKind kind, out long key)
                || length != HelloFrameSize - FrameHeader.LengthFieldSize
                || kind != FrameKind.Hello)
            {
                return false;
            }

            hello = new Hello(frame, key, BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(FrameHeader.Size + TokenSize)));
            return true;
        }
    }
}

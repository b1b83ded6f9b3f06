using System;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;
using ParallelGen.Transport;

namespace ParallelGen.SharedState.Hub;

/// <summary>
/// Serves this process's shared objects to other processes. Started with the first shared object, it listens on its
/// own Unix socket (abstract namespace on Linux: nothing on disk, gone with the process), independent of any pool,
/// so the objects work the same with every backend and with <see cref="WorkerProcess"/>. A peer is served only when
/// the kernel says it runs as our user and it presents the hub's random 32-byte token.
/// </summary>
internal sealed class SharedStateHub
{
    private static readonly TimeSpan s_handshakeTimeout = TimeSpan.FromSeconds(10);
    private static readonly Lazy<SharedStateHub> s_current = new(() => new SharedStateHub(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly ConcurrentDictionary<long, HubObject> _objects = new();
    private readonly Socket _listener;
    private long _nextId;

    private SharedStateHub()
    {
        Address = SocketAddress.CreateUnique();
        Token = RandomNumberGenerator.GetBytes(HubWire.TokenLength);
        _listener = SocketAddress.Listen(Address);
        new Thread(AcceptLoop) { IsBackground = true, Name = "ParallelGen shared-state hub" }.Start();
        LocalTransport = new LocalHubTransport(this);
    }

    /// <summary>This process's hub, started on first use.</summary>
    public static SharedStateHub Current => s_current.Value;

    /// <summary>This process's hub if it has one; decoding never starts a hub.</summary>
    public static SharedStateHub? IfStarted => s_current.IsValueCreated ? s_current.Value : null;

    public string Address { get; }

    public byte[] Token { get; }

    /// <summary>Requests from this process go straight to the objects, without a socket.</summary>
    public IHubTransport LocalTransport { get; }

    public long Add(HubObject target)
    {
        long id = Interlocked.Increment(ref _nextId);
        _objects[id] = target;
        return id;
    }

    public void Remove(long id) => _objects.TryRemove(id, out _);

    public bool TryGet(long id, [NotNullWhen(true)] out HubObject? target) => _objects.TryGetValue(id, out target);

    /// <summary>A reference to object <paramref name="id"/> of this hub, for the object's owner.</summary>
    public HubRef RefTo(long id) => new(Address, Token, id, LocalTransport);

    public void OnSessionClosed(HubSession session)
    {
        foreach (HubObject target in _objects.Values)
        {
            target.OnSessionClosed(session);
        }
    }

    private void AcceptLoop()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = _listener.Accept();
            }
            catch (SocketException)
            {
                continue;
            }

            // The token is read on the thread pool: a peer that connects and says nothing holds up no one else.
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Hub.Admit(state.Socket), (Hub: this, Socket: socket), preferLocal: false);
        }
    }

    private void Admit(Socket socket)
    {
        try
        {
            if (!PeerCredentials.IsSameUser(socket))
            {
                socket.Dispose();
                return;
            }

            socket.ReceiveTimeout = (int)s_handshakeTimeout.TotalMilliseconds;
            var token = new byte[HubWire.TokenLength];
            using (var stream = new NetworkStream(socket, ownsSocket: false))
            {
                stream.ReadExactly(token);
            }

            if (!CryptographicOperations.FixedTimeEquals(token, Token))
            {
                socket.Dispose();
                return;
            }

            socket.ReceiveTimeout = 0;
            socket.Send([1]);
            new HubSession(this, socket).Start();
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
        {
            socket.Dispose();
        }
    }
}

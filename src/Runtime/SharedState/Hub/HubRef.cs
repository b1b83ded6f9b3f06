using System;
using System.Threading;
using System.Threading.Tasks;
using MemoryPack;

namespace ParallelGen.SharedState.Hub;

/// <summary>
/// Where a shared object lives: its hub's address and token, and its id there. This is all that crosses the process
/// boundary for a pipe end, a manager object or a lock. The connection is made on first use.
/// </summary>
internal sealed class HubRef
{
    private IHubTransport? _transport;

    public HubRef(string address, byte[] token, long id, IHubTransport? transport = null)
    {
        Address = address;
        Token = token;
        Id = id;
        _transport = transport;
    }

    public string Address { get; }

    public byte[] Token { get; }

    public long Id { get; }

    /// <summary>True in the process that owns the object.</summary>
    public bool IsLocal => _transport is LocalHubTransport;

    private IHubTransport Transport => _transport ??= HubClient.For(Address, Token);

    public HubReply Call(byte op, ReadOnlyMemory<byte> payload = default, int timeoutMs = Timeout.Infinite) =>
        Transport.CallAsync(Id, op, timeoutMs, payload, CancellationToken.None).GetAwaiter().GetResult();

    public Task<HubReply> CallAsync(byte op, ReadOnlyMemory<byte> payload, int timeoutMs, CancellationToken cancellationToken) =>
        Transport.CallAsync(Id, op, timeoutMs, payload, cancellationToken);

    /// <summary>Disposes the object's state when called in its owner's process; elsewhere (a worker's proxy) does nothing.</summary>
    public void DisposeIfOwned()
    {
        if (IsLocal && SharedStateHub.Current.TryGet(Id, out HubObject? state))
        {
            state.Dispose();
        }
    }

    /// <summary>Milliseconds for a wait of <paramref name="timeout"/>: -1 for infinite, checked like .NET's own waits.</summary>
    public static int ToMilliseconds(TimeSpan timeout)
    {
        long ms = (long)timeout.TotalMilliseconds;
        if (ms < -1 || ms > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be Timeout.InfiniteTimeSpan or between 0 and int.MaxValue milliseconds.");
        }

        return (int)ms;
    }

    public void Write<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer)
        where TBufferWriter : System.Buffers.IBufferWriter<byte>
    {
        writer.WriteString(Address);
        writer.WriteUnmanagedArray(Token);
        writer.WriteUnmanaged(Id);
    }

    /// <summary>
    /// Reads a reference. In the owner's process it resolves to the owner's own state (<paramref name="local"/>; an
    /// in-process pool gets the original objects); anywhere else it is a reference to be used through the hub.
    /// </summary>
    public static HubRef Read(ref MemoryPackReader reader, out HubObject? local)
    {
        string address = reader.ReadString() ?? throw new InvalidOperationException("A shared-state reference without an address.");
        byte[] token = reader.ReadUnmanagedArray<byte>() ?? [];
        long id = reader.ReadUnmanaged<long>();
        SharedStateHub? hub = SharedStateHub.IfStarted;
        if (hub is not null && hub.Address == address)
        {
            local = hub.TryGet(id, out HubObject? target) ? target : null;
            return hub.RefTo(id);
        }

        local = null;
        return new HubRef(address, token, id);
    }
}

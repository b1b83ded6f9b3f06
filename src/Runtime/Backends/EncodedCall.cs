using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Threading;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen.Backends;

/// <summary>
/// A call as every backend moves it: the invoke payload (<see cref="InvokePayload"/>: method id, argument-set
/// count, MemoryPack arguments, optional trace parent), encoded once at submission so it can be sent again after a
/// lost worker. <see cref="Headroom"/> bytes stay free in front of it, so a backend can put its own header there
/// and send header and payload as one span without copying the arguments.
/// </summary>
internal sealed class EncodedCall
{
    /// <summary>Bytes kept free before <see cref="Payload"/> for a backend's header.</summary>
    public const int Headroom = 16;

    private PayloadBuffer? _buffer;

    private EncodedCall(RemoteMethod method, int count, bool traced, PayloadBuffer buffer)
    {
        Method = method;
        Count = count;
        IsTraced = traced;
        _buffer = buffer;
    }

    /// <summary>The method the call runs; a backend may load its assembly ahead of the call.</summary>
    public RemoteMethod Method { get; }

    /// <summary>How many argument sets the payload carries (1 for a call, the chunk size for a map chunk).</summary>
    public int Count { get; }

    /// <summary>True when the payload ends with the caller's W3C trace parent.</summary>
    public bool IsTraced { get; }

    /// <summary>The invoke payload; empty once released.</summary>
    public ReadOnlySpan<byte> Payload => Volatile.Read(ref _buffer) is { } buffer ? buffer.WrittenSpan[Headroom..] : default;

    /// <summary>The payload with the free headroom in front of it, for a backend to fill in; empty once released.</summary>
    public Span<byte> WithHeadroom => Volatile.Read(ref _buffer) is { } buffer ? buffer.WrittenSpanMutable : default;

    /// <summary>Starts a call: a buffer with the headroom and the payload prefix reserved, for the arguments to follow.</summary>
    public static PayloadBuffer Begin(int sizeHint)
    {
        var buffer = new PayloadBuffer(Headroom + InvokePayload.PrefixSize + sizeHint);
        buffer.Reserve(Headroom + InvokePayload.PrefixSize);
        return buffer;
    }

    /// <summary>
    /// Finishes a call whose <paramref name="count"/> argument sets are written. If the caller runs inside a W3C
    /// trace (<see cref="Activity.Current"/>), its trace parent rides along so the worker's work joins that trace.
    /// </summary>
    public static EncodedCall End(RemoteMethod method, PayloadBuffer buffer, int count)
    {
        bool traced = false;
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { Length: <= byte.MaxValue } traceParent })
        {
            int length = Encoding.ASCII.GetBytes(traceParent, buffer.GetSpan(traceParent.Length + 1));
            buffer.GetSpan(length + 1)[length] = (byte)length;
            buffer.Advance(length + 1);
            traced = true;
        }

        InvokePayload.WritePrefix(buffer.WrittenSpanMutable[Headroom..], method.Info.Id, count);
        return new EncodedCall(method, count, traced, buffer);
    }

    /// <summary>
    /// Rebuilds a call from an invoke payload that arrived from elsewhere (a cluster node relays a caller's call to
    /// its local pool): the bytes are copied behind fresh headroom, prefix and trace trailer as they came.
    /// </summary>
    /// <exception cref="ProtocolException">The payload is too short for its prefix.</exception>
    public static EncodedCall FromPayload(RemoteMethod method, bool traced, ReadOnlySpan<byte> payload)
    {
        if (payload.Length < InvokePayload.PrefixSize)
        {
            throw new ProtocolException($"An invoke payload needs at least {InvokePayload.PrefixSize} bytes; it had {payload.Length}.");
        }

        int count = BinaryPrimitives.ReadInt32LittleEndian(payload[8..]);
        var buffer = new PayloadBuffer(Headroom + payload.Length);
        buffer.Reserve(Headroom);
        payload.CopyTo(buffer.GetSpan(payload.Length));
        buffer.Advance(payload.Length);
        return new EncodedCall(method, count, traced, buffer);
    }

    /// <summary>
    /// Returns the buffer to the pool. Only called where no send of it can be in progress (its result arrived, or it
    /// never left the queue); elsewhere the garbage collector takes it.
    /// </summary>
    public void Release()
    {
        PayloadBuffer? buffer = Interlocked.Exchange(ref _buffer, null);
        buffer?.Dispose();
    }
}

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

    /// <summary>
    /// Calls up to this many bytes (headroom included) are copied out of the buffer they were written in, into an
    /// array of their own, and the buffer is kept for the next call on the thread. A map of one-item chunks holds
    /// tens of thousands of calls at once: pooled arrays would then run out and be allocated anyway, with a
    /// <see cref="PayloadBuffer"/> each and a trip to the pool and back.
    /// </summary>
    private const int SmallCall = 512;

    /// <summary>The largest writing buffer a thread keeps between calls.</summary>
    private const int SpareCapacity = 4096;

    /// <summary>This thread's writing buffer between calls; taken by <see cref="Begin"/>, given back by <see cref="End"/>.</summary>
    [ThreadStatic]
    private static PayloadBuffer? t_spare;

    /// <summary>The bytes, headroom first: a <c>byte[]</c> of exactly their length, or a pooled <see cref="PayloadBuffer"/>; null once released.</summary>
    private object? _storage;

    private EncodedCall(RemoteMethod method, int count, bool traced, object storage)
    {
        Method = method;
        Count = count;
        IsTraced = traced;
        _storage = storage;
    }

    /// <summary>The method the call runs; a backend may load its assembly ahead of the call.</summary>
    public RemoteMethod Method { get; }

    /// <summary>How many argument sets the payload carries (1 for a call, the chunk size for a map chunk).</summary>
    public int Count { get; }

    /// <summary>True when the payload ends with the caller's W3C trace parent.</summary>
    public bool IsTraced { get; }

    /// <summary>The invoke payload; empty once released.</summary>
    public ReadOnlySpan<byte> Payload => WithHeadroom is { IsEmpty: false } all ? all[Headroom..] : default;

    /// <summary>The payload with the free headroom in front of it, for a backend to fill in; empty once released.</summary>
    public Span<byte> WithHeadroom => Volatile.Read(ref _storage) switch
    {
        byte[] bytes => bytes,
        PayloadBuffer buffer => buffer.WrittenSpanMutable,
        _ => default,
    };

    /// <summary>Starts a call: a buffer with the headroom and the payload prefix reserved, for the arguments to follow.</summary>
    public static PayloadBuffer Begin(int sizeHint)
    {
        const int reserved = Headroom + InvokePayload.PrefixSize;
        PayloadBuffer? buffer = t_spare;
        if (buffer is not null && buffer.Capacity >= reserved + sizeHint)
        {
            t_spare = null; // a call encoded while this one is (a formatter submitting work) gets a buffer of its own
        }
        else
        {
            buffer = new PayloadBuffer(reserved + sizeHint);
        }

        buffer.Reserve(reserved);
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
        if (buffer.WrittenCount > SmallCall)
        {
            return new EncodedCall(method, count, traced, buffer);
        }

        byte[] bytes = buffer.WrittenSpan.ToArray();
        Recycle(buffer);
        return new EncodedCall(method, count, traced, bytes);
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
        if (Headroom + payload.Length <= SmallCall)
        {
            byte[] bytes = new byte[Headroom + payload.Length];
            payload.CopyTo(bytes.AsSpan(Headroom));
            return new EncodedCall(method, count, traced, bytes);
        }

        var buffer = new PayloadBuffer(Headroom + payload.Length);
        buffer.Reserve(Headroom);
        payload.CopyTo(buffer.GetSpan(payload.Length));
        buffer.Advance(payload.Length);
        return new EncodedCall(method, count, traced, buffer);
    }

    /// <summary>
    /// Returns a pooled buffer to the pool. Only called where no send of it can be in progress (its result arrived,
    /// or it never left the queue); elsewhere the garbage collector takes it.
    /// </summary>
    public void Release()
    {
        object? storage = Interlocked.Exchange(ref _storage, null);
        (storage as PayloadBuffer)?.Dispose();
    }

    /// <summary>Keeps a written-out buffer as this thread's spare (the larger one, up to a limit) or returns it.</summary>
    private static void Recycle(PayloadBuffer buffer)
    {
        buffer.Clear();
        PayloadBuffer? spare = t_spare;
        if (buffer.Capacity <= SpareCapacity && (spare is null || spare.Capacity < buffer.Capacity))
        {
            t_spare = buffer;
            spare?.Dispose();
        }
        else
        {
            buffer.Dispose();
        }
    }
}

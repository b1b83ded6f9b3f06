using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading;

namespace ParallelGen.Channels;

/// <summary>
/// Objects of this process that workers write to, by id. Only the id crosses the process boundary; the
/// registry holds sinks weakly, so registering never keeps a caller's queue or progress object alive.
/// </summary>
internal static class ChannelRegistry
{
    private static readonly ConcurrentDictionary<long, WeakReference<IChannelSink>> s_sinks = new();
    private static readonly ConditionalWeakTable<object, Registration> s_byOwner = new();
    private static long s_nextId;

    /// <summary>The id of <paramref name="owner"/>'s sink, registering it (made by <paramref name="createSink"/>) on first use.</summary>
    public static long GetId(object owner, Func<object, IChannelSink> createSink) =>
        s_byOwner.GetValue(owner, key => Register(createSink(key))).Id;

    public static bool TryGetSink(long id, out IChannelSink sink)
    {
        if (s_sinks.TryGetValue(id, out WeakReference<IChannelSink>? reference) && reference.TryGetTarget(out IChannelSink? target))
        {
            sink = target;
            return true;
        }

        s_sinks.TryRemove(id, out _);
        sink = null!;
        return false;
    }

    /// <summary>
    /// Delivers an item from a worker. An item for an object nobody holds any more is dropped, and refused, in case
    /// its producer waits for an answer (a bounded queue); a producer that does not wait ignores the answer.
    /// </summary>
    public static void Deliver(long id, ReadOnlySpan<byte> item, IChannelProducer producer)
    {
        if (TryGetSink(id, out IChannelSink sink))
        {
            sink.Deliver(item, producer);
        }
        else
        {
            producer.Acknowledge(id, accepted: false);
        }
    }

    private static Registration Register(IChannelSink sink)
    {
        long id = Interlocked.Increment(ref s_nextId);
        s_sinks[id] = new WeakReference<IChannelSink>(sink);
        return new Registration(id, sink);
    }

    /// <summary>Lives as long as the owner (ConditionalWeakTable), and keeps its sink alive that long.</summary>
    private sealed record Registration(long Id, IChannelSink Sink);
}

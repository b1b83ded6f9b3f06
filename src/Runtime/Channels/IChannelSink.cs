using System;

namespace ParallelGen.Channels;

/// <summary>The caller's end of an object passed to workers (a queue, a progress reporter): items arrive here.</summary>
internal interface IChannelSink
{
    /// <summary>The caller's own object, handed back when a call is decoded in this same process.</summary>
    object Owner { get; }

    /// <summary>
    /// Decodes one MemoryPack-encoded item from <paramref name="producer"/> and delivers it. A sink whose producers
    /// wait for room (a bounded queue) acknowledges every item through <paramref name="producer"/>, now or later.
    /// </summary>
    void Deliver(ReadOnlySpan<byte> item, IChannelProducer producer);
}

/// <summary>The worker an item came from, as a sink answers it: its <c>Put</c> waits for this answer on a bounded queue.</summary>
internal interface IChannelProducer
{
    /// <summary>Tells the worker that its oldest unanswered item for <paramref name="channelId"/> was added (or refused).</summary>
    void Acknowledge(long channelId, bool accepted);
}

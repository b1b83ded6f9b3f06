using System;

namespace ParallelGen.Channels;

/// <summary>The caller's end of an object passed to workers (a queue, a progress reporter): items arrive here.</summary>
internal interface IChannelSink
{
    /// <summary>The caller's own object, handed back when a call is decoded in this same process.</summary>
    object Owner { get; }

    /// <summary>Decodes one MemoryPack-encoded item and delivers it.</summary>
    void Deliver(ReadOnlySpan<byte> item);
}

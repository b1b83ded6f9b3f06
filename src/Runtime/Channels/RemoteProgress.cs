using System;
using ParallelGen.Serialization;

namespace ParallelGen.Channels;

/// <summary>A worker's stand-in for the caller's <see cref="IProgress{T}"/>: each report is sent to the caller.</summary>
internal sealed class RemoteProgress<T> : IProgress<T>
{
    private readonly long _channelId;

    public RemoteProgress(long channelId)
    {
        _channelId = channelId;
    }

    public long ChannelId => _channelId;

    public void Report(T value) => ChannelScope.Send(_channelId, MemoryPackStates.Serialize(value));
}

/// <summary>The caller's end of an <see cref="IProgress{T}"/> passed to workers.</summary>
internal sealed class ProgressSink<T> : IChannelSink
{
    private readonly IProgress<T> _progress;

    public ProgressSink(IProgress<T> progress)
    {
        _progress = progress;
    }

    public object Owner => _progress;

    public void Deliver(ReadOnlySpan<byte> item, IChannelProducer producer) => _progress.Report(ChannelItemCodec.Decode<T>(item));
}

using System;
using MemoryPack;

namespace ParallelGen.Channels;

/// <summary>
/// MemoryPack formatters that turn a <see cref="ProcessQueue{T}"/> or <see cref="IProgress{T}"/> argument into
/// its channel id, and back into a proxy in the worker (or the original object in the caller's own process).
/// </summary>
internal static class ChannelFormatters
{
    /// <summary>Called once, by <see cref="Generated.FormatterRegistry"/>.</summary>
    public static void Register()
    {
        MemoryPackFormatterProvider.RegisterGenericType(typeof(ProcessQueue<>), typeof(ProcessQueueFormatter<>));
        MemoryPackFormatterProvider.RegisterGenericType(typeof(IProgress<>), typeof(ProgressFormatter<>));
    }
}

internal sealed class ProcessQueueFormatter<T> : MemoryPackFormatter<ProcessQueue<T>>
{
    public override void Serialize<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, scoped ref ProcessQueue<T>? value)
    {
        // The capacity travels too: a worker's Put on a bounded queue waits for the caller's answer.
        long id = value?.ChannelId ?? 0;
        writer.WriteUnmanaged(id, value?.Capacity ?? 0);
    }

    public override void Deserialize(ref MemoryPackReader reader, scoped ref ProcessQueue<T>? value)
    {
        reader.ReadUnmanaged(out long id, out int capacity);
        value = id == 0 ? null
            : ChannelScope.DecodesLocally ? (ProcessQueue<T>)Resolve(id)
            : new ProcessQueue<T>(id, capacity);
    }

    private static object Resolve(long id) =>
        ChannelRegistry.TryGetSink(id, out IChannelSink sink) ? sink.Owner : throw new InvalidOperationException($"Channel {id} is not registered in this process.");
}

internal sealed class ProgressFormatter<T> : MemoryPackFormatter<IProgress<T>>
{
    public override void Serialize<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, scoped ref IProgress<T>? value)
    {
        long id = value switch
        {
            null => 0,
            RemoteProgress<T> proxy => proxy.ChannelId,
            _ => ChannelRegistry.GetId(value, static owner => new ProgressSink<T>((IProgress<T>)owner)),
        };
        writer.WriteUnmanaged(id);
    }

    public override void Deserialize(ref MemoryPackReader reader, scoped ref IProgress<T>? value)
    {
        long id = reader.ReadUnmanaged<long>();
        if (id == 0)
        {
            value = null;
        }
        else if (ChannelScope.DecodesLocally)
        {
            value = ChannelRegistry.TryGetSink(id, out IChannelSink sink)
                ? (IProgress<T>)sink.Owner
                : throw new InvalidOperationException($"Channel {id} is not registered in this process.");
        }
        else
        {
            value = new RemoteProgress<T>(id);
        }
    }
}

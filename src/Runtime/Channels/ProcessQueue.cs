using System;
using System.Collections.Generic;
using System.Threading;
using MemoryPack;
using ParallelGen.Channels;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>
/// A queue that workers write to and the caller reads from (Python's <c>multiprocessing.Queue</c> passed to
/// workers). Create it in the caller and pass it as an argument: in the worker the parameter is a proxy whose
/// <see cref="Put"/> sends the item to this process. Items from one producer arrive in the order put, and items a
/// call puts arrive before its result.
/// </summary>
/// <typeparam name="T">The item type; MemoryPack-serializable.</typeparam>
public sealed class ProcessQueue<T> : IChannelSink
{
    private readonly Queue<T> _items = new();
    private readonly long _remoteChannelId;

    /// <summary>Creates an empty, unbounded queue.</summary>
    public ProcessQueue()
    {
    }

    /// <summary>The worker-side proxy of the caller's queue <paramref name="channelId"/>.</summary>
    internal ProcessQueue(long channelId)
    {
        _remoteChannelId = channelId;
    }

    /// <summary>Items waiting to be taken (always 0 for a worker's proxy).</summary>
    public int Count
    {
        get
        {
            lock (_items)
            {
                return _items.Count;
            }
        }
    }

    object IChannelSink.Owner => this;

    internal bool IsProxy => _remoteChannelId != 0;

    internal long ChannelId => IsProxy ? _remoteChannelId : ChannelRegistry.GetId(this, static owner => (IChannelSink)owner);

    /// <summary>Adds an item: locally in the caller, or by sending it to the caller from a worker.</summary>
    public void Put(T item)
    {
        if (IsProxy)
        {
            ChannelScope.Send(_remoteChannelId, MemoryPackSerializer.Serialize(item));
            return;
        }

        lock (_items)
        {
            _items.Enqueue(item);
            Monitor.PulseAll(_items);
        }
    }

    /// <summary>Takes the next item, waiting as long as it takes.</summary>
    /// <exception cref="InvalidOperationException">Called on a worker's proxy: items are read where the queue was created.</exception>
    public T Get() => Get(Timeout.InfiniteTimeSpan);

    /// <summary>Takes the next item, waiting at most <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">No item arrived in time.</exception>
    /// <exception cref="InvalidOperationException">Called on a worker's proxy.</exception>
    public T Get(TimeSpan timeout)
    {
        ThrowIfProxy();
        long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_items)
        {
            while (_items.Count == 0)
            {
                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0 || !Monitor.Wait(_items, (int)Math.Min(remaining, int.MaxValue)))
                {
                    if (_items.Count == 0)
                    {
                        throw new TimeoutException($"No item arrived in the queue within {timeout}.");
                    }
                }
            }

            return _items.Dequeue();
        }
    }

    /// <summary>Takes the next item if there is one.</summary>
    /// <exception cref="InvalidOperationException">Called on a worker's proxy.</exception>
    public bool TryGet(out T item)
    {
        ThrowIfProxy();
        lock (_items)
        {
            return _items.TryDequeue(out item!);
        }
    }

    void IChannelSink.Deliver(ReadOnlySpan<byte> item) => Put(MemoryPackStates.Deserialize<T>(item)!);

    private void ThrowIfProxy()
    {
        if (IsProxy)
        {
            throw new InvalidOperationException("A queue passed to a worker only accepts Put there; Get and TryGet work in the process that created it.");
        }
    }
}

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using MemoryPack;
using ParallelGen.Channels;

namespace ParallelGen;

/// <summary>
/// A queue that workers write to and the caller reads from (Python's <c>multiprocessing.Queue</c> passed to
/// workers). Create it in the caller and pass it as an argument: in the worker the parameter is a proxy whose
/// <see cref="Put"/> sends the item to this process. Items from one producer arrive in the order put, and items a
/// call puts arrive before its result.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Complete"/> marks the end of the data, so readers (<see cref="ReadAllAsync"/>, <see cref="Get()"/>)
/// end once the queue is drained instead of waiting for an end-of-data item. Only the process that created the queue
/// completes it: a worker's proxy cannot, because one producer finishing says nothing about the others. Call it when
/// every call that received the queue has finished (its result arrived, or the <c>Map</c> returned): a call's items
/// arrive before its result, so none is lost. An item a worker still puts after that is refused: it is not added, and
/// the refusal is reported on this process's standard error like any item that cannot be delivered.
/// </para>
/// </remarks>
/// <typeparam name="T">The item type; MemoryPack-serializable.</typeparam>
public sealed class ProcessQueue<T> : IChannelSink
{
    private readonly Channel<T>? _items;
    private readonly long _remoteChannelId;

    /// <summary>Creates an empty, unbounded queue.</summary>
    public ProcessQueue()
    {
        _items = Channel.CreateUnbounded<T>();
    }

    /// <summary>The worker-side proxy of the caller's queue <paramref name="channelId"/>.</summary>
    internal ProcessQueue(long channelId)
    {
        _remoteChannelId = channelId;
    }

    /// <summary>Items waiting to be taken (always 0 for a worker's proxy).</summary>
    public int Count => _items?.Reader.Count ?? 0;

    /// <summary>True once <see cref="Complete"/> was called and every item has been taken.</summary>
    public bool IsCompleted => _items?.Reader.Completion.IsCompleted ?? false;

    object IChannelSink.Owner => this;

    internal bool IsProxy => _remoteChannelId != 0;

    internal long ChannelId => IsProxy ? _remoteChannelId : ChannelRegistry.GetId(this, static owner => (IChannelSink)owner);

    /// <summary>Adds an item: locally in the caller, or by sending it to the caller from a worker.</summary>
    /// <exception cref="InvalidOperationException">The queue was completed (in the process that created it).</exception>
    public void Put(T item)
    {
        if (IsProxy)
        {
            ChannelScope.Send(_remoteChannelId, MemoryPackSerializer.Serialize(item));
            return;
        }

        if (!_items!.Writer.TryWrite(item))
        {
            throw Completed();
        }
    }

    /// <summary>Takes the next item, waiting as long as it takes.</summary>
    /// <exception cref="ChannelClosedException">The queue was completed and is empty (an <see cref="InvalidOperationException"/>).</exception>
    /// <exception cref="InvalidOperationException">Called on a worker's proxy: items are read where the queue was created.</exception>
    public T Get() => Get(Timeout.InfiniteTimeSpan, CancellationToken.None);

    /// <summary>Takes the next item, waiting until one arrives or <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ChannelClosedException">The queue was completed and is empty.</exception>
    public T Get(CancellationToken cancellationToken) => Get(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Takes the next item, waiting at most <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">No item arrived in time.</exception>
    /// <exception cref="ChannelClosedException">The queue was completed and is empty.</exception>
    /// <exception cref="InvalidOperationException">Called on a worker's proxy.</exception>
    public T Get(TimeSpan timeout) => Get(timeout, CancellationToken.None);

    /// <summary>Takes the next item, waiting at most <paramref name="timeout"/> or until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <exception cref="TimeoutException">No item arrived in time.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ChannelClosedException">The queue was completed and is empty.</exception>
    public T Get(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ChannelReader<T> reader = Reader();
        if (reader.TryRead(out T? item))
        {
            return item;
        }

        ValueTask<T> read = ReadAsync(reader, timeout, cancellationToken);
        return read.IsCompleted ? read.Result : read.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Takes the next item, waiting asynchronously until one arrives.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ChannelClosedException">The queue was completed and is empty.</exception>
    /// <exception cref="InvalidOperationException">Called on a worker's proxy.</exception>
    public ValueTask<T> GetAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(Reader(), Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Takes the next item if there is one.</summary>
    /// <exception cref="InvalidOperationException">Called on a worker's proxy.</exception>
    public bool TryGet(out T item) => Reader().TryRead(out item!);

    /// <summary>
    /// Every item as it arrives, until the queue is completed (<see cref="Complete"/>) and drained; without
    /// <see cref="Complete"/> it waits for more until <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called on a worker's proxy.</exception>
    public IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken = default) => Reader().ReadAllAsync(cancellationToken);

    /// <summary>
    /// Marks the end of the data: later <see cref="Put"/> calls are refused, and readers end once the items already
    /// in the queue are taken. Call it after the calls that put into the queue have finished (see the remarks).
    /// Completing twice is harmless.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called on a worker's proxy.</exception>
    public void Complete()
    {
        ThrowIfProxy();
        _items!.Writer.TryComplete();
    }

    void IChannelSink.Deliver(ReadOnlySpan<byte> item)
    {
        if (!_items!.Writer.TryWrite(ChannelItemCodec.Decode<T>(item)))
        {
            throw Completed();
        }
    }

    private static async ValueTask<T> ReadAsync(ChannelReader<T> reader, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await reader.ReadAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No item arrived in the queue within {timeout}.");
        }
    }

    private ChannelReader<T> Reader()
    {
        ThrowIfProxy();
        return _items!.Reader;
    }

    private static InvalidOperationException Completed() =>
        new("The queue was completed (ProcessQueue.Complete): it accepts no more items.");

    private void ThrowIfProxy()
    {
        if (IsProxy)
        {
            throw new InvalidOperationException("A queue passed to a worker only accepts Put there; Get, TryGet, ReadAllAsync and Complete work in the process that created it.");
        }
    }
}

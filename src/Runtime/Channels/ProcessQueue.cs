using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using ParallelGen.Channels;
using ParallelGen.Serialization;

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
/// the refusal is reported on this process's standard error like any item that cannot be delivered (on a bounded
/// queue, the worker's <see cref="Put"/> throws <see cref="InvalidOperationException"/> instead).
/// </para>
/// <para>
/// A bounded queue (<see cref="ProcessQueue{T}(int)"/>, Python's <c>Queue(maxsize)</c>) holds at most its capacity:
/// <see cref="Put"/> blocks, and <see cref="PutAsync"/> waits, until a reader makes room, in the worker as in the
/// caller. A worker's item counts as put once the caller's queue has taken it in, so the ordering guarantees hold.
/// A call that puts more than the capacity into a queue nobody reads waits for room as long as it takes, as in Python.
/// </para>
/// </remarks>
/// <typeparam name="T">The item type; MemoryPack-serializable.</typeparam>
public sealed class ProcessQueue<T> : IChannelSink
{
    private readonly Channel<T>? _items;
    private readonly long _remoteChannelId;
    /// <summary>Workers' items waiting for room in a full bounded queue, oldest first, with who to tell when taken in.</summary>
    private readonly Queue<(T Item, IChannelProducer Producer)> _waitingForRoom = new();
    private bool _completed;

    /// <summary>Creates an empty, unbounded queue.</summary>
    public ProcessQueue()
    {
        _items = Channel.CreateUnbounded<T>();
    }

    /// <summary>Creates an empty queue that holds at most <paramref name="capacity"/> items (Python's <c>Queue(maxsize)</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public ProcessQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _items = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>The worker-side proxy of the caller's queue <paramref name="channelId"/>.</summary>
    internal ProcessQueue(long channelId, int capacity)
    {
        _remoteChannelId = channelId;
        Capacity = capacity;
    }

    /// <summary>The most items the queue holds, or 0 for an unbounded queue.</summary>
    public int Capacity { get; }

    /// <summary>Items waiting to be taken (always 0 for a worker's proxy).</summary>
    public int Count => _items?.Reader.Count ?? 0;

    /// <summary>True once <see cref="Complete"/> was called and every item has been taken.</summary>
    public bool IsCompleted => _items?.Reader.Completion.IsCompleted ?? false;

    object IChannelSink.Owner => this;

    internal bool IsProxy => _remoteChannelId != 0;

    internal long ChannelId => IsProxy ? _remoteChannelId : ChannelRegistry.GetId(this, static owner => (IChannelSink)owner);

    /// <summary>
    /// Adds an item: locally in the caller, or by sending it to the caller from a worker. On a full bounded queue it
    /// blocks until a reader makes room.
    /// </summary>
    /// <exception cref="InvalidOperationException">The queue was completed.</exception>
    public void Put(T item)
    {
        if (IsProxy && Capacity == 0)
        {
            ChannelScope.Send(_remoteChannelId, MemoryPackStates.Serialize(item));
            return;
        }

        ValueTask put = PutAsync(item);
        if (!put.IsCompletedSuccessfully)
        {
            put.AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Adds an item, waiting asynchronously for room in a full bounded queue. Cancelling a worker's wait stops the
    /// waiting only: the item was already sent, and the caller's queue still takes it in when there is room.
    /// </summary>
    /// <exception cref="InvalidOperationException">The queue was completed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async ValueTask PutAsync(T item, CancellationToken cancellationToken = default)
    {
        if (IsProxy)
        {
            if (Capacity == 0)
            {
                ChannelScope.Send(_remoteChannelId, MemoryPackStates.Serialize(item));
                return;
            }

            bool accepted = await ChannelScope.SendAndAwaitRoom(_remoteChannelId, MemoryPackStates.Serialize(item))
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!accepted)
            {
                throw new InvalidOperationException("The queue was completed (ProcessQueue.Complete) or is gone: it accepts no more items.");
            }

            return;
        }

        try
        {
            await _items!.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
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
            MakeRoom();
            return item;
        }

        ValueTask<T> read = ReadAsync(timeout, cancellationToken);
        return read.IsCompleted ? read.Result : read.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Takes the next item, waiting asynchronously until one arrives.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ChannelClosedException">The queue was completed and is empty.</exception>
    /// <exception cref="InvalidOperationException">Called on a worker's proxy.</exception>
    public ValueTask<T> GetAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfProxy();
        return ReadAsync(Timeout.InfiniteTimeSpan, cancellationToken);
    }

    /// <summary>Takes the next item if there is one.</summary>
    /// <exception cref="InvalidOperationException">Called on a worker's proxy.</exception>
    public bool TryGet(out T item)
    {
        if (!Reader().TryRead(out item!))
        {
            return false;
        }

        MakeRoom();
        return true;
    }

    /// <summary>
    /// Every item as it arrives, until the queue is completed (<see cref="Complete"/>) and drained; without
    /// <see cref="Complete"/> it waits for more until <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called on a worker's proxy.</exception>
    public IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfProxy();
        return ReadAll(cancellationToken);
    }

    /// <summary>
    /// Marks the end of the data: later <see cref="Put"/> calls are refused, and readers end once the items already
    /// in the queue are taken. Call it after the calls that put into the queue have finished (see the remarks).
    /// Completing twice is harmless.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called on a worker's proxy.</exception>
    public void Complete()
    {
        ThrowIfProxy();
        lock (_waitingForRoom)
        {
            _completed = true;
            _items!.Writer.TryComplete();
            // Items still waiting for room were never put: their workers' Put calls fail.
            while (_waitingForRoom.TryDequeue(out (T Item, IChannelProducer Producer) waiting))
            {
                waiting.Producer.Acknowledge(ChannelId, accepted: false);
            }
        }
    }

    void IChannelSink.Deliver(ReadOnlySpan<byte> encoded, IChannelProducer producer)
    {
        if (Capacity == 0)
        {
            if (!_items!.Writer.TryWrite(ChannelItemCodec.Decode<T>(encoded)))
            {
                throw Completed();
            }

            return;
        }

        // The worker's Put waits for an answer, so every item gets one, whatever happens here. This runs on the
        // thread that reads the worker's frames, which must not block: an item that finds no room waits in line.
        T item;
        try
        {
            item = ChannelItemCodec.Decode<T>(encoded);
        }
        catch
        {
            producer.Acknowledge(ChannelId, accepted: false);
            throw;
        }

        bool accepted;
        lock (_waitingForRoom)
        {
            if (_completed)
            {
                accepted = false;
            }
            else if (_waitingForRoom.Count > 0 || !_items!.Writer.TryWrite(item))
            {
                _waitingForRoom.Enqueue((item, producer));
                return;
            }
            else
            {
                accepted = true;
            }
        }

        producer.Acknowledge(ChannelId, accepted);
    }

    /// <summary>After a take: moves workers' items waiting for room into the queue, and lets their Put calls return.</summary>
    private void MakeRoom()
    {
        if (Capacity == 0)
        {
            return;
        }

        lock (_waitingForRoom)
        {
            while (_waitingForRoom.TryPeek(out (T Item, IChannelProducer Producer) waiting) && _items!.Writer.TryWrite(waiting.Item))
            {
                _waitingForRoom.Dequeue();
                waiting.Producer.Acknowledge(ChannelId, accepted: true);
            }
        }
    }

    private async ValueTask<T> ReadAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = timeout == Timeout.InfiniteTimeSpan ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline?.CancelAfter(timeout);
        try
        {
            T item = await _items!.Reader.ReadAsync(deadline?.Token ?? cancellationToken).ConfigureAwait(false);
            MakeRoom();
            return item;
        }
        catch (OperationCanceledException) when (deadline is not null && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No item arrived in the queue within {timeout}.");
        }
    }

    private async IAsyncEnumerable<T> ReadAll([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ChannelReader<T> reader = _items!.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out T? item))
            {
                MakeRoom();
                yield return item;
            }
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

using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace ParallelGen;

public sealed partial class ProcessPool
{
    /// <summary>
    /// Runs <paramref name="method"/> over <paramref name="items"/> lazily and yields results in input order as soon
    /// as each is ready (Python's <c>imap</c>). The input is read with bounded look-ahead, never all at once; a
    /// failing item throws its exception at its place in the sequence; abandoning the enumeration cancels what
    /// it still had queued.
    /// </summary>
    /// <param name="method">The generated handle.</param>
    /// <param name="items">The arguments, read lazily.</param>
    /// <param name="chunkSize">Items per task sent to a worker (default 1, as in Python).</param>
    /// <param name="cancellationToken">Stops the enumeration and cancels the outstanding work.</param>
    public IEnumerable<TResult> Imap<TArgs, TResult>(RemoteFunc<TArgs, TResult> method, IEnumerable<TArgs> items, int chunkSize = 1, CancellationToken cancellationToken = default) =>
        ImapAsync(method, items, chunkSize, cancellationToken).ToBlockingEnumerable(cancellationToken);

    /// <summary>Like <see cref="Imap{TArgs, TResult}"/>, yielding results in completion order (Python's <c>imap_unordered</c>).</summary>
    public IEnumerable<TResult> ImapUnordered<TArgs, TResult>(RemoteFunc<TArgs, TResult> method, IEnumerable<TArgs> items, int chunkSize = 1, CancellationToken cancellationToken = default) =>
        ImapUnorderedAsync(method, items, chunkSize, cancellationToken).ToBlockingEnumerable(cancellationToken);

    /// <summary>The asynchronous form of <see cref="Imap{TArgs, TResult}"/>.</summary>
    public async IAsyncEnumerable<TResult> ImapAsync<TArgs, TResult>(
        RemoteFunc<TArgs, TResult> method,
        IEnumerable<TArgs> items,
        int chunkSize = 1,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var stream = new ChunkStream<TArgs, TResult>(this, method, items, chunkSize, cancellationToken);
        var window = new Queue<AsyncResult<TResult[]>>();
        while (stream.TryStartNext(window.Count, out AsyncResult<TResult[]>? started))
        {
            window.Enqueue(started);
        }

        while (window.TryDequeue(out AsyncResult<TResult[]>? next))
        {
            TResult[] results = await next.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
            while (stream.TryStartNext(window.Count, out AsyncResult<TResult[]>? started))
            {
                window.Enqueue(started);
            }

            foreach (TResult result in results)
            {
                yield return result;
            }
        }
    }

    /// <summary>The asynchronous form of <see cref="ImapUnordered{TArgs, TResult}"/>.</summary>
    public async IAsyncEnumerable<TResult> ImapUnorderedAsync<TArgs, TResult>(
        RemoteFunc<TArgs, TResult> method,
        IEnumerable<TArgs> items,
        int chunkSize = 1,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var stream = new ChunkStream<TArgs, TResult>(this, method, items, chunkSize, cancellationToken);
        Channel<AsyncResult<TResult[]>> finished = Channel.CreateUnbounded<AsyncResult<TResult[]>>(new UnboundedChannelOptions { SingleReader = true });
        int outstanding = 0;
        void StartMore()
        {
            while (stream.TryStartNext(outstanding, out AsyncResult<TResult[]>? started))
            {
                outstanding++;
                started.AsTask().ContinueWith(
                    static (_, state) =>
                    {
                        var (channel, result) = ((Channel<AsyncResult<TResult[]>>, AsyncResult<TResult[]>))state!;
                        channel.Writer.TryWrite(result);
                    },
                    (finished, started),
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }

        StartMore();
        while (outstanding > 0)
        {
            AsyncResult<TResult[]> next = await finished.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            outstanding--;
            TResult[] results = next.Get();
            StartMore();
            foreach (TResult result in results)
            {
                yield return result;
            }
        }
    }

    /// <summary>
    /// Cuts a lazy input into chunks and submits them with bounded look-ahead. Disposing it (the enumeration
    /// ended or was abandoned) cancels every chunk still outstanding.
    /// </summary>
    private sealed class ChunkStream<TArgs, TResult> : IDisposable
    {
        private readonly ProcessPool _pool;
        private readonly RemoteFunc<TArgs, TResult> _method;
        private readonly IEnumerator<TArgs> _items;
        private readonly int _chunkSize;
        private readonly int _lookAhead;
        private readonly CancellationTokenSource _cancellation;
        private bool _exhausted;

        public ChunkStream(ProcessPool pool, RemoteFunc<TArgs, TResult> method, IEnumerable<TArgs> items, int chunkSize, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(method);
            ArgumentNullException.ThrowIfNull(items);
            ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
            _pool = pool;
            _method = method;
            _items = items.GetEnumerator();
            _chunkSize = chunkSize;
            // Enough chunks to keep every worker's pipeline full twice over, and no more input than that.
            _lookAhead = pool.Processes * Scheduling.Scheduler.PipelineDepth * 2;
            _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }

        public bool TryStartNext(int outstanding, out AsyncResult<TResult[]> started)
        {
            started = null!;
            if (_exhausted || outstanding >= _lookAhead)
            {
                return false;
            }

            var chunk = new List<TArgs>(_chunkSize);
            while (chunk.Count < _chunkSize && _items.MoveNext())
            {
                chunk.Add(_items.Current);
            }

            if (chunk.Count < _chunkSize)
            {
                _exhausted = true;
            }

            if (chunk.Count == 0)
            {
                return false;
            }

            started = _pool.MapAsync(_method, chunk, chunk.Count, cancellationToken: _cancellation.Token);
            return true;
        }

        public void Dispose()
        {
            _cancellation.Cancel();
            _cancellation.Dispose();
            _items.Dispose();
        }
    }
}

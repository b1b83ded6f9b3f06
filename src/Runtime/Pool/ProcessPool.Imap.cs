using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
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
    /// it still had queued. If reading <paramref name="items"/> throws, the results of every complete chunk before
    /// that point are yielded first and then the input's own exception is thrown (the items of the chunk it cut
    /// short are not run, as in Python).
    /// </summary>
    /// <param name="method">The generated handle.</param>
    /// <param name="items">The arguments, read lazily.</param>
    /// <param name="chunkSize">Items per task sent to a worker (default 1, as in Python).</param>
    /// <param name="cancellationToken">Stops the enumeration and cancels the outstanding work.</param>
    public IEnumerable<TResult> Imap<TArgs, TResult>(RemoteFunc<TArgs, TResult> method, IEnumerable<TArgs> items, int chunkSize = 1, CancellationToken cancellationToken = default) =>
        ImapAsync(method, items, chunkSize, cancellationToken).ToBlockingEnumerable(cancellationToken);

    /// <summary>
    /// Like <see cref="Imap{TArgs, TResult}"/>, yielding results in completion order (Python's <c>imap_unordered</c>).
    /// If reading <paramref name="items"/> throws, every result already computed or in flight is yielded before
    /// the input's exception.
    /// </summary>
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

        stream.ThrowIfInputFailed();
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

        stream.ThrowIfInputFailed();
    }

    /// <summary>
    /// Cuts a lazy input into chunks and submits them with bounded look-ahead. Disposing it (the enumeration
    /// ended or was abandoned) cancels every chunk still outstanding. An exception from the input ends the
    /// input and is kept, not thrown: the caller still delivers what was submitted before it, then calls
    /// <see cref="ThrowIfInputFailed"/>, so the exception surfaces at its place in the sequence.
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
        private ExceptionDispatchInfo? _inputFailure;

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
            try
            {
                while (chunk.Count < _chunkSize && _items.MoveNext())
                {
                    chunk.Add(_items.Current);
                }
            }
            catch (Exception exception)
            {
                // Python drops the chunk the failure cut short and raises after the chunks before it.
                _inputFailure = ExceptionDispatchInfo.Capture(exception);
                _exhausted = true;
                return false;
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

        /// <summary>Throws the input's exception, with its original stack trace, if reading the input failed.</summary>
        public void ThrowIfInputFailed() => _inputFailure?.Throw();

        public void Dispose()
        {
            _cancellation.Cancel();
            _cancellation.Dispose();
            _items.Dispose();
        }
    }
}

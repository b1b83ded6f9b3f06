using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;
using ParallelGen.Pool;
using ParallelGen.Results;
using ParallelGen.Scheduling;

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
    public IAsyncEnumerable<TResult> ImapAsync<TArgs, TResult>(
        RemoteFunc<TArgs, TResult> method,
        IEnumerable<TArgs> items,
        int chunkSize = 1,
        CancellationToken cancellationToken = default) =>
        StreamAsync(method, items, chunkSize, ordered: true, cancellationToken);

    /// <summary>The asynchronous form of <see cref="ImapUnordered{TArgs, TResult}"/>.</summary>
    public IAsyncEnumerable<TResult> ImapUnorderedAsync<TArgs, TResult>(
        RemoteFunc<TArgs, TResult> method,
        IEnumerable<TArgs> items,
        int chunkSize = 1,
        CancellationToken cancellationToken = default) =>
        StreamAsync(method, items, chunkSize, ordered: false, cancellationToken);

    /// <summary>
    /// Both imaps: chunks go out with bounded look-ahead and come back in input order (<paramref name="ordered"/>)
    /// or in completion order. A failed chunk throws its exception when its turn comes.
    /// </summary>
    private async IAsyncEnumerable<TResult> StreamAsync<TArgs, TResult>(
        RemoteFunc<TArgs, TResult> method,
        IEnumerable<TArgs> items,
        int chunkSize,
        bool ordered,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stream = new ChunkStream<TArgs, TResult>(this, method, items, chunkSize, ordered, cancellationToken);
        stream.StartMore();
        while (true)
        {
            StreamChunk<TArgs, TResult>? chunk = stream.TakeNext(out bool more);
            if (chunk is null)
            {
                if (!more)
                {
                    break;
                }

                await stream.WaitAsync().ConfigureAwait(false);
                continue;
            }

            chunk.ThrowIfFailed();
            stream.StartMore();
            for (int i = 0; i < chunk.Count; i++)
            {
                yield return chunk.ResultAt(i);
            }
        }

        stream.ThrowIfInputFailed();
    }

    /// <summary>
    /// Cuts a lazy input into chunks and submits them with bounded look-ahead, and hands finished chunks to the one
    /// enumeration reading them, in input or completion order. Disposing it (the enumeration ended or was
    /// abandoned) cancels every chunk still outstanding. An exception from the input ends the input and is kept,
    /// not thrown: the caller still delivers what was submitted before it, then calls
    /// <see cref="ThrowIfInputFailed"/>, so the exception surfaces at its place in the sequence.
    /// </summary>
    /// <remarks>
    /// Each chunk is one task and nothing more (no result object, task source or continuation of its own): a
    /// finished chunk waits here until the enumeration takes it, and only an enumeration that is waiting is woken,
    /// on the thread pool, never on the thread that completed the chunk.
    /// </remarks>
    private sealed class ChunkStream<TArgs, TResult> : IChunkOwner<TArgs, TResult>, IValueTaskSource, IDisposable
    {
        private readonly ProcessPool _pool;
        private readonly IEnumerator<TArgs> _items;
        private readonly int _chunkSize;
        private readonly int _lookAhead;
        private readonly bool _ordered;
        private readonly CancellationTokenSource _cancellation;
        private readonly CancellationToken _callerToken;
        private readonly CancellationTokenRegistration _callerRegistration;
        private readonly List<TArgs> _reading = new();
        private readonly object _gate = new();

        /// <summary>Ordered: the chunks started, in input order. Unordered: the chunks finished, in completion order.</summary>
        private readonly Queue<StreamChunk<TArgs, TResult>> _delivery = new();
        private ManualResetValueTaskSourceCore<bool> _wake = new() { RunContinuationsAsynchronously = true };
        private bool _waiting;
        private int _completions;
        private int _outstanding;
        private long _read;
        private bool _exhausted;
        private ExceptionDispatchInfo? _inputFailure;

        public ChunkStream(ProcessPool pool, RemoteFunc<TArgs, TResult> method, IEnumerable<TArgs> items, int chunkSize, bool ordered, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(method);
            ArgumentNullException.ThrowIfNull(items);
            ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
            _pool = pool;
            Method = method;
            _items = items.GetEnumerator();
            _chunkSize = chunkSize;
            _ordered = ordered;
            // Enough chunks to keep every worker's pipeline full twice over, and no more input than that.
            _lookAhead = pool.Processes * Scheduling.Scheduler.PipelineDepth * 2;
            _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _callerToken = cancellationToken;

            // Wakes a waiting enumeration, which then ends with the caller's token, however far the chunks the linked
            // source cancels have got.
            _callerRegistration = cancellationToken.UnsafeRegister(static state => ((ChunkStream<TArgs, TResult>)state!).OnCallerCancelled(), this);
        }

        public RemoteFunc<TArgs, TResult> Method { get; }

        /// <summary>Starts chunks until the look-ahead is full or the input ends.</summary>
        public void StartMore()
        {
            while (!_exhausted && _outstanding < _lookAhead && TryStartNext())
            {
            }
        }

        /// <summary>The next chunk to deliver if it is finished; else null, with <paramref name="more"/> false once none is left.</summary>
        public StreamChunk<TArgs, TResult>? TakeNext(out bool more)
        {
            lock (_gate)
            {
                more = _outstanding > 0;
                if (!IsNextReady())
                {
                    return null;
                }

                _outstanding--;
                return _delivery.Dequeue();
            }
        }

        /// <summary>Completes when the next chunk may be ready (or nothing is outstanding); throws if the caller's token is cancelled first.</summary>
        public ValueTask WaitAsync()
        {
            SpinForCompletion();
            lock (_gate)
            {
                if (IsNextReady() || _outstanding == 0)
                {
                    return default;
                }

                if (_callerToken.IsCancellationRequested)
                {
                    return ValueTask.FromException(new OperationCanceledException(_callerToken));
                }

                _wake.Reset();
                _waiting = true;
                return new ValueTask(this, _wake.Version);
            }
        }

        /// <summary>
        /// The enumeration has nothing to do until a chunk finishes, and with short calls the next one is usually
        /// microseconds away: it watches for it (<see cref="CallerSpin"/>) before it goes to sleep, since a wake-up
        /// costs a hop through the thread pool (whose threads then spin themselves, looking for work).
        /// </summary>
        private void SpinForCompletion() =>
            CallerSpin.While((Stream: this, Seen: Volatile.Read(ref _completions)), static s => Volatile.Read(ref s.Stream._completions) == s.Seen);

        /// <summary>A chunk finished (on whatever thread completed it): queue it and wake a waiting enumeration.</summary>
        public void OnChunkDone(StreamChunk<TArgs, TResult> chunk)
        {
            bool wake;
            lock (_gate)
            {
                _completions++;
                chunk.Finished = true;
                if (!_ordered)
                {
                    _delivery.Enqueue(chunk);
                }

                wake = _waiting && IsNextReady();
                if (wake)
                {
                    _waiting = false;
                }
            }

            if (wake)
            {
                _wake.SetResult(true);
            }
        }

        /// <summary>Throws the input's exception, with its original stack trace, if reading the input failed.</summary>
        public void ThrowIfInputFailed() => _inputFailure?.Throw();

        public void Dispose()
        {
            _callerRegistration.Dispose();
            _cancellation.Cancel();
            _cancellation.Dispose();
            _items.Dispose();
        }

        void IValueTaskSource.GetResult(short token) => _wake.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _wake.GetStatus(token);

        void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _wake.OnCompleted(continuation, state, token, flags);

        /// <summary>Under the gate: whether <see cref="TakeNext"/> has a chunk to give.</summary>
        private bool IsNextReady() => _delivery.Count > 0 && (!_ordered || _delivery.Peek().Finished);

        private bool TryStartNext()
        {
            _reading.Clear();
            try
            {
                while (_reading.Count < _chunkSize && _items.MoveNext())
                {
                    _reading.Add(_items.Current);
                }
            }
            catch (Exception exception)
            {
                // Python drops the chunk the failure cut short and raises after the chunks before it.
                _inputFailure = ExceptionDispatchInfo.Capture(exception);
                _exhausted = true;
                _reading.Clear();
                return false;
            }

            if (_reading.Count < _chunkSize)
            {
                _exhausted = true;
            }

            if (_reading.Count == 0)
            {
                return false;
            }

            PoolTask task = new StreamChunk<TArgs, TResult>(this, CollectionsMarshal.AsSpan(_reading), _read, _cancellation.Token);
            _read += _reading.Count;
            _reading.Clear();
            task.RegisterCancellation(_pool._cancel); // first, so a cancelled token never reaches a worker
            _pool._scheduler.Submit(new ReadOnlySpan<PoolTask>(in task));
            lock (_gate)
            {
                if (_ordered)
                {
                    _delivery.Enqueue((StreamChunk<TArgs, TResult>)task);
                }

                _outstanding++;
            }

            return true;
        }

        private void OnCallerCancelled()
        {
            bool wake;
            lock (_gate)
            {
                wake = _waiting;
                _waiting = false;
            }

            if (wake)
            {
                _wake.SetException(new OperationCanceledException(_callerToken));
            }
        }
    }
}

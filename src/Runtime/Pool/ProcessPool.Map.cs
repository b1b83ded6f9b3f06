using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ParallelGen.Handles;
using ParallelGen.Pool;
using ParallelGen.Scheduling;
using ParallelGen.Serialization;

namespace ParallelGen;

public sealed partial class ProcessPool
{
    /// <summary>
    /// Runs <paramref name="method"/> over every item and returns the results in input order (Python's <c>map</c>;
    /// for several parameters, pass tuples: Python's <c>starmap</c>). A collection is cut into chunks up front; a lazy
    /// source of unknown length is streamed with bounded look-ahead (chunks of 128 unless <paramref name="chunkSize"/>
    /// says otherwise), so its input is never buffered whole.
    /// </summary>
    /// <param name="method">The generated handle.</param>
    /// <param name="items">The arguments, one per call.</param>
    /// <param name="chunkSize">Items per task sent to a worker; by default <c>ceil(n / (4 × Processes))</c>, as in Python.</param>
    /// <param name="cancellationToken">Cancels the items not yet finished.</param>
    /// <exception cref="RemoteException">The method threw for some item (the first failure is reported).</exception>
    /// <exception cref="WorkerCrashedException">A worker died while running some item.</exception>
    public TResult[] Map<TArgs, TResult>(RemoteFunc<TArgs, TResult> method, IEnumerable<TArgs> items, int? chunkSize = null, CancellationToken cancellationToken = default) =>
        MapAsync(method, items, chunkSize, cancellationToken: cancellationToken).Get();

    /// <summary>Runs a void <paramref name="method"/> over every item and waits for all of them.</summary>
    public void Map<TArgs>(RemoteAction<TArgs> method, IEnumerable<TArgs> items, int? chunkSize = null, CancellationToken cancellationToken = default) =>
        MapAsync(method, items, chunkSize, cancellationToken: cancellationToken).Get();

    /// <summary>Like <see cref="Map{TArgs, TResult}"/>, returning at once (Python's <c>map_async</c>).</summary>
    /// <param name="method">The generated handle.</param>
    /// <param name="items">The arguments, one per call.</param>
    /// <param name="chunkSize">Items per task; by default <c>ceil(n / (4 × Processes))</c>.</param>
    /// <param name="callback">Runs with the whole result array before the result becomes ready.</param>
    /// <param name="errorCallback">Runs with the first error before the result becomes ready.</param>
    /// <param name="cancellationToken">Cancels the items not yet finished.</param>
    public AsyncResult<TResult[]> MapAsync<TArgs, TResult>(
        RemoteFunc<TArgs, TResult> method,
        IEnumerable<TArgs> items,
        int? chunkSize = null,
        Action<TResult[]>? callback = null,
        Action<Exception>? errorCallback = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(items);
        var result = new AsyncResult<TResult[]>(NewSource<TResult[]>(), callback, errorCallback);
        if (!items.TryGetNonEnumeratedCount(out _))
        {
            // A lazy source of unknown length is streamed with bounded look-ahead instead of read in full first.
            _scheduler.Submit(ReadOnlySpan<PoolTask>.Empty); // a closed pool still refuses at once
            _ = CollectAsync(ImapAsync(method, items, chunkSize ?? LazyChunkSize, cancellationToken), result.Completion);
            return result;
        }

        StartMap(method, method.Call, items, chunkSize, value => result.Completion.TrySetResult(value), error => result.Completion.TrySetException(error), cancellationToken);
        return result;
    }

    /// <summary>Like <see cref="Map{TArgs}"/>, returning at once.</summary>
    public AsyncResult MapAsync<TArgs>(
        RemoteAction<TArgs> method,
        IEnumerable<TArgs> items,
        int? chunkSize = null,
        Action? callback = null,
        Action<Exception>? errorCallback = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        var result = new AsyncResult(NewSource(), callback, errorCallback);
        ResultCompletion<Unit> completion = result.Completion!;
        StartMap(method, method.Call, items, chunkSize, _ => completion.TrySetResult(default), error => completion.TrySetException(error), cancellationToken);
        return result;
    }

    private void StartMap<TArgs, TResult>(
        RemoteMethod method,
        RemoteCall<TArgs, TResult> call,
        IEnumerable<TArgs> items,
        int? chunkSize,
        Action<TResult[]> succeed,
        Action<Exception> fail,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (chunkSize is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkSize), chunkSize, "chunkSize must be at least 1.");
        }

        MapOperation<TArgs, TResult> map;
        using (var input = MapInput<TArgs>.Of(items))
        {
            int size = chunkSize ?? DefaultChunkSize(input.Items.Length);
            map = new MapOperation<TArgs, TResult>(method, call, input.Items, size, succeed, fail, cancellationToken)
            {
                CancelChunk = _scheduler.Cancel,
            };
        }

        if (map.Tasks.Count == 0)
        {
            // Still refuse work on a closed pool, as Python does, even for an empty input.
            _scheduler.Submit(ReadOnlySpan<PoolTask>.Empty);
            map.CompleteIfEmpty();
            return;
        }

        PoolTask[] tasks = map.Tasks.ToArray();
        foreach (PoolTask task in tasks)
        {
            task.RegisterCancellation(_scheduler.Cancel); // first, so a cancelled token never reaches a worker
        }

        _scheduler.Submit(tasks);
    }

    /// <summary>Items per task when <c>Map</c> streams an input of unknown length and no chunk size was given.</summary>
    private const int LazyChunkSize = 128;

    private static async Task CollectAsync<TResult>(IAsyncEnumerable<TResult> results, ResultCompletion<TResult[]> completion)
    {
        try
        {
            var collected = new List<TResult>();
            await foreach (TResult value in results.ConfigureAwait(false))
            {
                collected.Add(value);
            }

            completion.TrySetResult(collected.ToArray());
        }
        catch (Exception exception)
        {
            completion.TrySetException(exception);
        }
    }

    /// <summary>Python's default: <c>ceil(n / (4 × workers))</c>, so each worker gets about four tasks.</summary>
    private int DefaultChunkSize(int count) => Math.Max(1, (count + (4 * Processes) - 1) / (4 * Processes));
}

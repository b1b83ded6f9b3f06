using System;
using System.Threading;
using System.Threading.Tasks;
using ParallelGen.Scheduling;

namespace ParallelGen;

/// <summary>
/// A pool of worker processes that runs <c>[ProcessParallel]</c> methods (Python's <c>multiprocessing.Pool</c>).
/// Arguments and results cross the process boundary as MemoryPack bytes. Workers start with the pool; a worker
/// that dies is replaced, and the task it was running fails with <see cref="WorkerCrashedException"/>.
/// <c>Dispose</c> terminates the pool, as leaving Python's <c>with Pool()</c> block does.
/// </summary>
public sealed partial class ProcessPool : IDisposable, IAsyncDisposable
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> pools publish their metrics under.</summary>
    public const string MeterName = Telemetry.PoolMetrics.MeterName;

    private readonly Scheduler _scheduler;

    /// <summary><see cref="Scheduler.Cancel"/> as one delegate, rather than a new one for every task registered with it.</summary>
    private readonly Action<PoolTask> _cancel;

    /// <summary>Starts a pool with one worker per processor (<see cref="Environment.ProcessorCount"/>).</summary>
    public ProcessPool()
        : this(new ProcessPoolOptions())
    {
    }

    /// <summary>Starts a pool with <paramref name="processes"/> workers.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="processes"/> is less than 1.</exception>
    public ProcessPool(int processes)
        : this(new ProcessPoolOptions { Processes = processes })
    {
    }

    /// <summary>Starts a pool configured by <paramref name="options"/>.</summary>
    public ProcessPool(ProcessPoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Hosting.UnhookedWorkerGuard.ExitIfUnhookedWorker();
        Options = options;
        _scheduler = new Scheduler(options, options.Backend ?? (options.InProcess ? PoolBackend.InProcess : PoolBackend.Processes));
        _cancel = _scheduler.Cancel;
    }

    /// <summary>The number of workers (for a cluster backend, its current total).</summary>
    public int Processes => _scheduler.Processes;

    /// <summary>The backend the scheduler drives (a test hook).</summary>
    internal Backends.IWorkerBackend WorkerBackend => _scheduler.Backend;

    /// <summary>The options the pool was started with.</summary>
    public ProcessPoolOptions Options { get; }

    /// <summary>
    /// Stops accepting work (later submissions throw <see cref="InvalidOperationException"/>, or
    /// <see cref="ObjectDisposedException"/> after <see cref="Dispose"/>); queued work still runs.
    /// </summary>
    public void Close() => _scheduler.Close();

    /// <summary>Kills the workers now. Every unfinished result fails promptly with <see cref="PoolTerminatedException"/>.</summary>
    public void Terminate() => _scheduler.Terminate();

    /// <summary>Waits for the workers to exit.</summary>
    /// <exception cref="InvalidOperationException">Neither <see cref="Close"/> nor <see cref="Terminate"/> was called first.</exception>
    public void Join() => _scheduler.Join(Timeout.InfiniteTimeSpan);

    /// <summary>Waits at most <paramref name="timeout"/> for the workers to exit.</summary>
    /// <returns>True if every worker has exited.</returns>
    /// <exception cref="InvalidOperationException">Neither <see cref="Close"/> nor <see cref="Terminate"/> was called first.</exception>
    public bool Join(TimeSpan timeout) => _scheduler.Join(timeout);

    /// <summary>Terminates the pool and waits for its workers to exit.</summary>
    public void Dispose()
    {
        _scheduler.Terminate(disposing: true);
        _scheduler.Join(Timeout.InfiniteTimeSpan);
    }

    /// <summary>Terminates the pool and waits for its workers to exit, off the calling thread.</summary>
    public ValueTask DisposeAsync() => new(Task.Run(Dispose));

    private void Submit(PoolTask task)
    {
        // Registered first: a token cancelled already fails the task here, before any worker can see it.
        task.RegisterCancellation(_cancel);
        _scheduler.Submit(new ReadOnlySpan<PoolTask>(in task));
    }
}

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ParallelGen.Backends;
using ParallelGen.Telemetry;

namespace ParallelGen.Scheduling;

/// <summary>
/// Decides which worker runs which task, and what happens when anything goes wrong: a FIFO queue, pipelining of
/// short calls, withdrawal of a call stuck behind a long one, retries after a lost worker, task timeouts,
/// cancellation, initializer gating, recycling, and Close/Terminate/Join. It knows workers only as
/// <see cref="IWorker"/>s of an <see cref="IWorkerBackend"/>: no processes, no sockets.
/// </summary>
internal sealed partial class Scheduler : IWorkerEvents
{
    /// <summary>
    /// Calls a worker may hold at once when its calls are short: it never waits for a round trip between them.
    /// Long calls get one at a time (see <see cref="WorkerState.CanPrefetch"/>).
    /// </summary>
    internal const int PipelineDepth = 32;

    private readonly object _lock = new();
    private readonly ProcessPoolOptions _options;
    private readonly ILogger _logger;
    private readonly TaskDeque _queue = new();
    private readonly Dictionary<IWorker, WorkerState> _workers = new(ReferenceEqualityComparer.Instance);
    private readonly IWorkerBackend _backend;
    private readonly Timer? _watchdog;
    private readonly Func<long> _clock;
    private readonly Action<TimeSpan, Action> _after;
    private PoolState _state = PoolState.Running;
    private bool _disposed;
    private int _shutdownExitCode;
    private int _starting;
    private int _consecutiveStartFailures;
    private Exception? _startFailure;

    /// <param name="options">The pool's options.</param>
    /// <param name="backend">Where calls run.</param>
    /// <param name="clock">Milliseconds for timeouts and call durations; <see cref="Environment.TickCount64"/> unless a test drives it.</param>
    /// <param name="after">Runs an action after a delay (a worker start after a failed one); a timer unless a test drives it.</param>
    public Scheduler(ProcessPoolOptions options, PoolBackend backend, Func<long>? clock = null, Action<TimeSpan, Action>? after = null)
    {
        _options = options;
        _clock = clock ?? (static () => Environment.TickCount64);
        _after = after ?? (static (delay, action) => Task.Delay(delay).ContinueWith(_ => action(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default));
        _logger = options.Logger ?? NullLogger.Instance;
        _backend = backend.Open(options, this);
        if (options.TaskTimeout is TimeSpan timeout)
        {
            // Checked a few times per timeout period: a task overruns by at most about a quarter of it.
            TimeSpan period = TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 4, 10, 1000));
            _watchdog = clock is null ? new Timer(_ => StopOverdueTasks(), null, period, period) : null;
        }

        for (int i = 0; i < options.Processes; i++)
        {
            StartWorker();
        }
    }

    private enum PoolState
    {
        Running,
        Closed,
        Terminated,
    }

    public int Processes => _backend.Processes;

    /// <summary>The backend this scheduler drives.</summary>
    public IWorkerBackend Backend => _backend;

    /// <summary>Why workers cannot start, once that is known for good.</summary>
    public Exception? StartFailure
    {
        get
        {
            lock (_lock)
            {
                return _startFailure;
            }
        }
    }

    /// <summary>Queues tasks in FIFO order.</summary>
    /// <exception cref="ArgumentException">A task's arguments exceed <see cref="ProcessPoolOptions.MaxMessageBytes"/> or a limit of the backend.</exception>
    /// <exception cref="InvalidOperationException">The pool no longer accepts work.</exception>
    public void Submit(ReadOnlySpan<PoolTask> tasks)
    {
        foreach (PoolTask task in tasks)
        {
            if (task.Call.Payload.Length > _options.MaxMessageBytes)
            {
                throw new ArgumentException(
                    $"The arguments of {task.Description} encode to {task.Call.Payload.Length} bytes, more than the pool's MaxMessageBytes ({_options.MaxMessageBytes}).");
            }

            if (_backend.RejectPayload(task.Call.Payload.Length) is string reason)
            {
                throw new ArgumentException($"The arguments of {task.Description} encode to {task.Call.Payload.Length} bytes: {reason}");
            }
        }

        Exception? startFailure;
        lock (_lock)
        {
            ThrowIfNotRunning();
            startFailure = _startFailure;
            if (startFailure is null)
            {
                foreach (PoolTask task in tasks)
                {
                    _queue.AddLast(task);
                }
            }
        }

        if (PoolMetrics.TasksSubmitted.Enabled)
        {
            PoolMetrics.TasksSubmitted.Add(tasks.Length);
        }

        if (startFailure is not null)
        {
            foreach (PoolTask task in tasks)
            {
                task.TryFailQueued(startFailure);
            }

            return;
        }

        Pump();
    }

    /// <summary>Withdraws a queued task, or signals a running one's cancellation token.</summary>
    public void Cancel(PoolTask task)
    {
        WorkerState? worker = null;
        bool running = false;
        lock (_lock)
        {
            if (task.IsDone)
            {
                return;
            }

            if (task.IsSent)
            {
                task.RequestCancel();
                worker = task.Worker;
                running = worker?.Running == task;
            }
        }

        if (worker is null)
        {
            // Still queued: it leaves the queue lazily, when the dispatcher meets it already done.
            task.TryFailQueued(new OperationCanceledException(task.CancellationToken));
            return;
        }

        // The worker skips a call it has not started, or signals the token of the one it runs. A call waiting
        // behind another fails now; the worker's later answer for it is discarded.
        worker.Worker.Cancel(task.CallId);
        if (!running)
        {
            task.Fail(new OperationCanceledException(task.CancellationToken));
        }
    }

    /// <summary>Stops accepting work; queued work still runs, then workers go with <paramref name="exitCode"/>.</summary>
    public void Close(int exitCode = 0)
    {
        lock (_lock)
        {
            if (_state == PoolState.Running)
            {
                _state = PoolState.Closed;
                _shutdownExitCode = exitCode;
            }

            RetireIfDrained();
        }
    }

    /// <summary>Stops everything now; every unfinished task fails with <see cref="PoolTerminatedException"/>.</summary>
    public void Terminate(bool disposing = false)
    {
        var tasks = new List<PoolTask>();
        lock (_lock)
        {
            _disposed |= disposing;
            if (_state == PoolState.Terminated)
            {
                return;
            }

            _state = PoolState.Terminated;
            _queue.CopyTo(tasks);
            _queue.Clear();
            foreach (WorkerState worker in _workers.Values)
            {
                worker.Lost = true;
                tasks.AddRange(worker.Drain());
            }

            _workers.Clear();
            Monitor.PulseAll(_lock);
        }

        _watchdog?.Dispose();
        foreach (PoolTask task in tasks)
        {
            task.Fail(new PoolTerminatedException());
        }

        _backend.Terminate();
        _backend.Dispose();
    }

    /// <summary>Waits for every worker to go after <see cref="Close"/> or <see cref="Terminate"/>.</summary>
    public bool Join(TimeSpan timeout)
    {
        lock (_lock)
        {
            if (_state == PoolState.Running)
            {
                throw new InvalidOperationException("Join() waits for the workers to exit, so it needs Close() or Terminate() first.");
            }
        }

        if (!_backend.Join(timeout))
        {
            return false;
        }

        _watchdog?.Dispose();
        _backend.Dispose();
        return true;
    }

    private void ThrowIfNotRunning()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(ProcessPool), "The pool is disposed: it accepts no new work after Dispose().");
        }

        if (_state != PoolState.Running)
        {
            throw new InvalidOperationException(_state == PoolState.Closed
                ? "The pool is closed: it accepts no new work after Close()."
                : "The pool is terminated: it accepts no new work after Terminate() or Dispose().");
        }
    }
}

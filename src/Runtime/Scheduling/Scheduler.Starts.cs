using System;
using System.Collections.Generic;
using ParallelGen.Telemetry;

namespace ParallelGen.Scheduling;

/// <summary>Starting workers, and what a start that fails does to the pool.</summary>
internal sealed partial class Scheduler
{
    /// <summary>Workers that never become ready this many times in a row mean they cannot start at all.</summary>
    private const int MaxConsecutiveStartFailures = 3;

    /// <summary>
    /// A worker did not start. While other workers serve, nothing fails: the pool goes on with them and starts the
    /// replacement again after a back-off, however often it takes (a moment without processes, memory or
    /// descriptors must not end a pool that works). With no worker left, a start that may pass is tried again
    /// <see cref="MaxConsecutiveStartFailures"/> times in all, then queued and later work fails.
    /// </summary>
    public void OnStartFailed(WorkerStartException error, bool mayRetry)
    {
        bool retry;
        bool othersServe;
        int failures;
        lock (_lock)
        {
            _starting--;
            if (_state == PoolState.Terminated)
            {
                return;
            }

            failures = ++_consecutiveStartFailures;
            othersServe = _workers.Count > 0;
            retry = _options.ReplaceWorkers && (othersServe || (mayRetry && failures < MaxConsecutiveStartFailures));
        }

        if (retry)
        {
            TimeSpan delay = StartRetryDelay(failures);
            PoolLog.StartRetrying(_logger, delay, error);
            _after(delay, StartWorkerIfWanted);
        }
        else if (!othersServe)
        {
            FailStarts(error);
        }
    }

    /// <summary>The wait before another start after <paramref name="failures"/> failed ones in a row: 100 ms, doubling, at most 5 s.</summary>
    internal static TimeSpan StartRetryDelay(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(100L << Math.Clamp(failures - 1, 0, 6), 5_000));

    /// <summary>A start again after a back-off, unless the pool has no more use for workers by then.</summary>
    private void StartWorkerIfWanted()
    {
        lock (_lock)
        {
            if (_state != PoolState.Running && !HasQueuedWork())
            {
                return;
            }
        }

        StartWorker();
    }

    private void StartWorker()
    {
        lock (_lock)
        {
            if (_state == PoolState.Terminated || _startFailure is not null)
            {
                return;
            }

            _starting++;
        }

        _backend.StartWorker();
    }

    /// <summary>Workers cannot be started: fail queued work now, and later submissions at once, rather than wait forever.</summary>
    private void FailStarts(WorkerStartException exception)
    {
        PoolLog.StartFailed(_logger, exception);
        List<PoolTask> queued;
        lock (_lock)
        {
            _startFailure ??= exception;
            queued = new List<PoolTask>(_queue.Count);
            _queue.CopyTo(queued);
            _queue.Clear();
        }

        foreach (PoolTask task in queued)
        {
            task.TryFailQueued(exception);
        }
    }
}

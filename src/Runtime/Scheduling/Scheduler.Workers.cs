using System;
using System.Collections.Generic;
using System.Threading;
using ParallelGen.Backends;
using ParallelGen.Protocol;
using ParallelGen.Telemetry;

namespace ParallelGen.Scheduling;

/// <summary>What the backend reports: workers ready and lost, calls answered, failed and withdrawn.</summary>
internal sealed partial class Scheduler
{
    public void OnReady(IWorker worker)
    {
        var state = new WorkerState(worker) { Initializing = _options.Initializer is not null };
        lock (_lock)
        {
            _starting--;
            if (_state == PoolState.Terminated)
            {
                return; // the backend's Terminate stops it
            }

            _consecutiveStartFailures = 0;
            _workers.Add(worker, state);
        }

        PoolLog.WorkerConnected(_logger, worker.ProcessId ?? 0);
        if (_options.Initializer is ProcessInitializer initializer)
        {
            SendInitializer(state, initializer);
        }

        lock (_lock)
        {
            RetireIfDrained();
        }

        Pump();
    }

    public bool OnAnswered(IWorker worker, long callId, ReadOnlySpan<byte> results)
    {
        if (_options.MaxTasksPerChild is null && _options.MaxWorkerMemory is null && t_batching != this)
        {
            return OnAnsweredAndRefill(worker, callId, results);
        }

        if (!TryTakeAnswered(worker, callId, out PoolTask? task, out WorkerState? state))
        {
            return task is not null || state is null;
        }

        Finished(state!);
        task!.Succeed(results);
        task.ReleaseCall();
        Pump();
        return true;
    }

    public bool OnFailed(IWorker worker, long callId, RemoteError error)
    {
        if (!TryTakeAnswered(worker, callId, out PoolTask? task, out WorkerState? state))
        {
            return task is not null || state is null;
        }

        Finished(state!);
        task!.Fail(RemoteErrorMapper.ToException(error, task, worker.ProcessId));
        task.ReleaseCall();
        Pump();
        return true;
    }

    /// <summary>A worker gave back an unstarted call: queue it first, for the idle worker that asked.</summary>
    public bool OnWithdrawn(IWorker worker, long callId)
    {
        WorkerState? state;
        lock (_lock)
        {
            if (!_workers.TryGetValue(worker, out state))
            {
                return true; // terminated: nothing to put back
            }

            if (state.TakeAnswered(callId, _clock()) is not PoolTask task)
            {
                return false;
            }

            state.Assigned--;
            task.Withdrawing = false;
            Requeue(task);
        }

        if (state.OverMemory)
        {
            Finished(state); // it may have just become idle, and takes nothing new: replace it now
        }

        Pump();
        return true;
    }

    /// <summary>
    /// The worker is gone. The call it was running fails (<see cref="WorkerCrashedException"/>, a timeout) or runs
    /// again (<see cref="ProcessPoolOptions.MaxRetries"/>), calls sent behind it go back to the front of the queue,
    /// and a replacement starts if there is work left.
    /// </summary>
    public void OnLost(IWorker worker, WorkerExit exit)
    {
        List<PoolTask> orphaned;
        WorkerState? state;
        bool replace;
        lock (_lock)
        {
            if (!_workers.Remove(worker, out state))
            {
                return; // terminated: its tasks have failed already
            }

            state.Lost = true;
            orphaned = state.Drain();
            for (int i = orphaned.Count - 1; i >= 1; i--)
            {
                if (orphaned[i].IsInitializer)
                {
                    orphaned[i].Fail(new WorkerCrashedException(worker.ProcessId ?? 0, null, orphaned[i].Description));
                }
                else
                {
                    Requeue(orphaned[i]);
                }
            }

            replace = _options.ReplaceWorkers && (!state.Retiring || orphaned.Count > 0) && (_state == PoolState.Running || HasQueuedWork() || orphaned.Count > 1);
            RetireIfDrained();
        }

        PoolTask? running = orphaned.Count > 0 ? orphaned[0] : null;
        ReportLoss(worker, running, exit);
        if (running is not null)
        {
            FailOrRetry(state, running, exit);
        }

        if (replace)
        {
            StartWorker();
        }

        Pump();
    }

    /// <summary>
    /// Takes call <paramref name="callId"/> off <paramref name="worker"/>. False with no state when the pool was
    /// terminated (the answer is moot), false with no task when the worker does not have that call.
    /// </summary>
    private bool TryTakeAnswered(IWorker worker, long callId, out PoolTask? task, out WorkerState? state)
    {
        lock (_lock)
        {
            task = null;
            if (!_workers.TryGetValue(worker, out state))
            {
                return false;
            }

            task = state.TakeAnswered(callId, _clock());
            return task is not null;
        }
    }

    /// <summary>
    /// Bookkeeping when a worker answers a call; recycles it once it has done its quota, or once its resident memory
    /// passed <see cref="ProcessPoolOptions.MaxWorkerMemory"/> (measured by the backend after each call).
    /// </summary>
    private void Finished(WorkerState state)
    {
        if (_options.MaxTasksPerChild is null && _options.MaxWorkerMemory is null)
        {
            return; // nothing to recycle for: no lock round trip per answer
        }

        long? resident = _options.MaxWorkerMemory is long limit && state.Worker.MeasureResidentBytes() is long bytes && bytes > limit ? bytes : null;
        bool recycle = false;
        lock (_lock)
        {
            if (resident is not null)
            {
                state.OverMemory = true; // no new calls; the ones it holds finish first
            }

            bool quotaDone = _options.MaxTasksPerChild is int max && state.Assigned >= max;
            if ((quotaDone || state.OverMemory) && state.Reserved == 0 && !state.Retiring && !state.Lost)
            {
                state.Retiring = true;
                recycle = _state != PoolState.Terminated;
            }
        }

        if (resident is long measured)
        {
            PoolLog.WorkerOverMemory(_logger, state.Worker.ProcessId ?? 0, measured, _options.MaxWorkerMemory!.Value);
        }

        if (recycle)
        {
            PoolLog.WorkerRecycled(_logger, state.Worker.ProcessId ?? 0, state.Assigned);
            state.Worker.Retire(0);
            StartWorker();
        }
    }

    /// <summary>Sends the initializer first, so the worker runs it before any task queued behind it.</summary>
    private void SendInitializer(WorkerState state, ProcessInitializer initializer)
    {
        PoolTask task = initializer.CreateTask(
            onSucceeded: () =>
            {
                lock (_lock)
                {
                    state.Initializing = false;
                }

                Pump();
            },
            onFailed: error => FailStarts(new WorkerStartException(
                $"The pool's initializer {initializer.Method.Signature} failed in worker {state.Worker.ProcessId}; queued work fails rather than restarting workers forever.",
                error)));
        task.TryMarkSent();
        lock (_lock)
        {
            Monitor.Enter(state.SendLock);
            state.PutInFlight(task, _clock());
        }

        if (Send(state, task) is false)
        {
            task.Fail(new WorkerCrashedException(state.Worker.ProcessId ?? 0, null, "the initializer " + initializer.Method.Signature));
        }
    }

    /// <summary>The task a worker was lost running: a timeout, a retry (MaxRetries), or a crash report.</summary>
    private void FailOrRetry(WorkerState state, PoolTask running, WorkerExit exit)
    {
        int processId = state.Worker.ProcessId ?? 0;
        if (ReferenceEquals(state.TimedOut, running))
        {
            running.Fail(new TimeoutException(
                $"{running.Description} ran longer than the pool's TaskTimeout of {_options.TaskTimeout}; its worker {processId} was stopped and replaced."));
            return;
        }

        lock (_lock)
        {
            if (!running.IsInitializer && running.Retries < _options.MaxRetries && _state != PoolState.Terminated)
            {
                running.Retries++;
                PoolLog.TaskRetried(_logger, running.Description, running.Retries, processId);
                Requeue(running);
                return;
            }
        }

        running.Fail(new WorkerCrashedException(processId, exit.ExitCode, running.Description, exit.Failure));
    }

    private void ReportLoss(IWorker worker, PoolTask? running, WorkerExit exit)
    {
        int processId = worker.ProcessId ?? 0;
        if (exit.Failure is ProtocolException)
        {
            PoolLog.ProtocolViolation(_logger, processId, exit.Failure);
        }

        if (running is not null)
        {
            PoolMetrics.WorkersCrashed.Add(1);
            PoolLog.WorkerCrashed(_logger, processId, exit.ExitCode, running.Description);
        }
        else
        {
            PoolLog.WorkerExited(_logger, processId, exit.ExitCode);
        }
    }

    /// <summary>
    /// TaskTimeout: stops workers whose running task is overdue; <see cref="OnLost"/> reports it. Run by a timer, or
    /// by a test that drives the clock.
    /// </summary>
    internal void StopOverdueTasks()
    {
        long limit = (long)_options.TaskTimeout!.Value.TotalMilliseconds;
        long now = _clock();
        var overdue = new List<(WorkerState Worker, PoolTask Task)>();
        lock (_lock)
        {
            foreach (WorkerState worker in _workers.Values)
            {
                if (worker.TimedOut is null && worker.FindOverdue(now, limit) is PoolTask task)
                {
                    worker.TimedOut = task;
                    overdue.Add((worker, task));
                }
            }
        }

        foreach ((WorkerState worker, PoolTask task) in overdue)
        {
            PoolLog.TaskTimedOut(_logger, task.Description, _options.TaskTimeout.Value, worker.Worker.ProcessId ?? 0);
            worker.Worker.Stop();
        }
    }
}

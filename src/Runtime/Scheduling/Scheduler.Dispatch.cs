using System;
using System.Threading;

namespace ParallelGen.Scheduling;

/// <summary>Handing queued tasks to workers.</summary>
internal sealed partial class Scheduler
{
    /// <summary>Calls shorter than this count as short: a worker running them may hold the next one too.</summary>
    private const long ShortCallMilliseconds = 2;

    /// <summary>Hands queued tasks to workers with room, until one of the two runs out.</summary>
    private void Pump()
    {
        while (true)
        {
            WorkerState? worker;
            PoolTask? task = null;
            WorkerState? victim = null;
            PoolTask? stolen = null;
            lock (_lock)
            {
                if (_state == PoolState.Terminated)
                {
                    return;
                }

                long now = _clock();
                worker = PickWorker(now);
                if (worker is null)
                {
                    return;
                }

                while (_queue.First is { } first)
                {
                    _queue.RemoveFirst();
                    if (first.Value.TryMarkSent())
                    {
                        task = first.Value;
                        break;
                    }
                }

                if (task is null)
                {
                    RetireIfDrained();
                    (victim, stolen) = FindWorkToSteal(worker);
                }
                else
                {
                    worker.Assigned++;
                    Monitor.Enter(worker.SendLock); // before the lock is released: sends keep the in-flight order
                    worker.PutInFlight(task, now);
                }
            }

            if (task is null)
            {
                if (stolen is not null)
                {
                    victim!.Worker.Withdraw(stolen.CallId);
                }

                return;
            }

            bool? sent = Send(worker, task);
            if (sent != true)
            {
                lock (_lock)
                {
                    worker.Unsend(task);
                    worker.Assigned--;
                    if (sent is false)
                    {
                        worker.Lost = true; // its loss is reported separately; meanwhile it takes nothing more
                        Requeue(task);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Sends a task put in flight with <see cref="WorkerState.SendLock"/> held, and releases that lock. False if the
    /// worker is gone; null if the task was cancelled meanwhile and need not go at all.
    /// </summary>
    private static bool? Send(WorkerState worker, PoolTask task)
    {
        try
        {
            return task.IsDone ? null : worker.Worker.TrySend(task.CallId, task.Call);
        }
        finally
        {
            Monitor.Exit(worker.SendLock);
        }
    }

    /// <summary>The ready worker with the most room (fewest calls in flight), or null (under the lock).</summary>
    private WorkerState? PickWorker(long now)
    {
        WorkerState? best = null;
        foreach (WorkerState worker in _workers.Values)
        {
            if (worker.Lost || worker.Retiring || worker.OverMemory || worker.Initializing || worker.Reserved >= PipelineDepth)
            {
                continue;
            }

            if (_options.MaxTasksPerChild is int max && worker.Assigned >= max)
            {
                continue;
            }

            if (worker.Reserved > 0 && !worker.CanPrefetch(now, ShortCallMilliseconds))
            {
                continue;
            }

            if (best is null || worker.Reserved < best.Reserved)
            {
                best = worker;
            }
        }

        return best;
    }

    /// <summary>
    /// Nothing is queued but <paramref name="idle"/> has nothing to do: take back a call that waits, unstarted,
    /// behind a running one on another worker (pipelining must never leave a worker idle beside a backlog).
    /// </summary>
    private (WorkerState? Victim, PoolTask? Task) FindWorkToSteal(WorkerState idle)
    {
        if (idle.Reserved != 0)
        {
            return (null, null);
        }

        foreach (WorkerState worker in _workers.Values)
        {
            if (worker != idle && !worker.Lost && worker.Reserved >= 2 && worker.FindWaiting() is PoolTask waiting)
            {
                waiting.Withdrawing = true;
                return (worker, waiting);
            }
        }

        return (null, null);
    }

    /// <summary>Puts a task that never started back at the front of the queue (under the lock).</summary>
    private void Requeue(PoolTask task)
    {
        if (!task.TryMarkQueued())
        {
            return;
        }

        if (task.CancelRequested)
        {
            task.TryFailQueued(new OperationCanceledException(task.CancellationToken));
            return;
        }

        _queue.AddFirst(task);
    }

    /// <summary>After Close(): once nothing is queued or running, tells idle workers to go (under the lock).</summary>
    private void RetireIfDrained()
    {
        if (_state != PoolState.Closed || HasQueuedWork())
        {
            return;
        }

        foreach (WorkerState worker in _workers.Values)
        {
            if (worker.Reserved > 0)
            {
                return;
            }
        }

        foreach (WorkerState worker in _workers.Values)
        {
            if (!worker.Lost && !worker.Retiring)
            {
                worker.Retiring = true;
                worker.Worker.Retire(_shutdownExitCode);
            }
        }
    }

    private bool HasQueuedWork()
    {
        foreach (PoolTask task in _queue)
        {
            if (!task.IsDone)
            {
                return true;
            }
        }

        return false;
    }
}

using System;
using System.Collections.Generic;
using System.Threading;
using ParallelGen.Backends;

namespace ParallelGen.Scheduling;

/// <summary>Handing queued tasks to workers.</summary>
internal sealed partial class Scheduler
{
    /// <summary>Calls shorter than this count as short: a worker running them may hold the next one too.</summary>
    private const long ShortCallMilliseconds = 2;

    /// <summary>Hands queued tasks to workers with room, until one of the two runs out.</summary>
    private void Pump()
    {
        if (DeferPump())
        {
            return;
        }

        List<PoolTask> batch = RentBatch();
        try
        {
            Pump(batch);
        }
        finally
        {
            ReturnBatch(batch);
        }
    }

    private void Pump(List<PoolTask> batch)
    {
        while (true)
        {
            PumpRound round;
            batch.Clear();
            lock (_lock)
            {
                if (_state == PoolState.Terminated)
                {
                    return;
                }

                long now = _clock();
                WorkerState? worker = PickWorker(now, out int candidates);
                if (worker is null)
                {
                    return;
                }

                round = TakeBatch(worker, candidates, now, batch);
                if (batch.Count == 0)
                {
                    RetireIfDrained();
                    (round.Victim, round.Stolen) = FindWorkToSteal(worker);
                }
            }

            if (!Carry(round, batch))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Carries out a round decided under the lock: sends its batch (and releases the worker's send lock), or
    /// withdraws a call to steal. True if another round may find more to do.
    /// </summary>
    private bool Carry(PumpRound round, List<PoolTask> batch)
    {
        if (batch.Count == 0)
        {
            round.Victim?.Worker.Withdraw(round.Stolen!.CallId);
            return false;
        }

        // The worker just served was the only one with room, and it took what it could: another round would
        // find nothing new (whatever changes meanwhile pumps on its own thread). Saves a lock per answer.
        return !SendBatch(round.Worker!, batch) || round.Candidates > 1;
    }

    /// <summary>
    /// <see cref="OnAnswered"/> when nothing is recycled after a call and no batch of events is open: the answer is
    /// taken and the next calls are chosen (as a pump would) under one lock, and they leave before this answer is
    /// decoded.
    /// When nothing is queued the answer completes first and the pump runs as usual after it (so after Close the
    /// workers are told to go only once the last result is set).
    /// </summary>
    private bool OnAnsweredAndRefill(IWorker worker, long callId, ReadOnlySpan<byte> results)
    {
        List<PoolTask> batch = RentBatch();
        try
        {
            PoolTask? task;
            PumpRound round = default;
            lock (_lock)
            {
                if (!_workers.TryGetValue(worker, out WorkerState? state))
                {
                    return true; // terminated: the answer is moot
                }

                long now = _clock();
                task = state.TakeAnswered(callId, now);
                if (task is null)
                {
                    return false;
                }

                if (_state != PoolState.Terminated && _queue.Count > 0 && PickWorker(now, out int candidates) is WorkerState next)
                {
                    round = TakeBatch(next, candidates, now, batch);
                }
            }

            bool more = batch.Count == 0 || Carry(round, batch);
            task.Succeed(results);
            task.ReleaseCall();
            if (more)
            {
                Pump(batch);
            }

            return true;
        }
        finally
        {
            ReturnBatch(batch);
        }
    }

    /// <summary>
    /// Takes tasks off the queue for <paramref name="worker"/> and puts them in flight (under the lock): one, or as
    /// many as it may prefetch while the others with room get their share of what is queued. If it took any, the
    /// worker's send lock is held from here until <see cref="SendBatch"/>, so sends keep the in-flight order.
    /// </summary>
    private PumpRound TakeBatch(WorkerState worker, int candidates, long now, List<PoolTask> batch)
    {
        int share = Math.Max(1, (_queue.Count + candidates - 1) / candidates);
        int limit = Math.Min(share, PipelineDepth - worker.Reserved);
        if (_options.MaxTasksPerChild is int max)
        {
            limit = Math.Min(limit, max - worker.Assigned);
        }

        while (batch.Count < limit && _queue.Count > 0)
        {
            if (batch.Count > 0 && !worker.CanPrefetch(now, ShortCallMilliseconds))
            {
                break;
            }

            PoolTask first = _queue.RemoveFirst();
            if (first.TryMarkSent())
            {
                batch.Add(first);
                worker.Assigned++;
                worker.PutInFlight(first, now);
            }
        }

        if (batch.Count > 0)
        {
            Monitor.Enter(worker.SendLock); // before the lock is released
        }

        return new PumpRound { Worker = worker, Candidates = candidates };
    }

    /// <summary>
    /// Sends a batch put in flight with <see cref="WorkerState.SendLock"/> held, and releases that lock. Tasks
    /// cancelled meanwhile are not sent; tasks the worker never got (it is gone) go back to the queue. True if every
    /// task of the batch went out.
    /// </summary>
    private bool SendBatch(WorkerState worker, List<PoolTask> batch)
    {
        int sent;
        int live = 0;

        // A batch is at most PipelineDepth calls (TakeBatch), so the calls and the skip marks live on the stack.
        var buffer = default(CallBuffer);
        Span<(long CallId, EncodedCall Call)> calls = batch.Count <= PipelineDepth ? buffer : new (long, EncodedCall)[batch.Count];
        Span<bool> skipped = stackalloc bool[PipelineDepth]; // decided once: a task cancelled later was still sent
        if (batch.Count > PipelineDepth)
        {
            skipped = new bool[batch.Count];
        }

        try
        {
            for (int i = 0; i < batch.Count; i++)
            {
                if (batch[i].IsDone)
                {
                    skipped[i] = true;
                }
                else
                {
                    calls[live++] = (batch[i].CallId, batch[i].Call);
                }
            }

            sent = live == 0 ? 0 : worker.Worker.TrySend(calls[..live]);
        }
        finally
        {
            Monitor.Exit(worker.SendLock);
        }

        if (sent == batch.Count)
        {
            return true;
        }

        lock (_lock)
        {
            int reached = 0;
            for (int i = 0; i < batch.Count; i++)
            {
                if (skipped[i])
                {
                    worker.Unsend(batch[i]);
                    worker.Assigned--;
                }
                else if (reached < sent)
                {
                    reached++;
                }
                else
                {
                    worker.Unsend(batch[i]);
                    worker.Assigned--;
                    worker.Lost = true; // its loss is reported separately; meanwhile it takes nothing more
                    Requeue(batch[i]);
                }
            }
        }

        return false;
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

    /// <summary>
    /// The ready worker with the most room (fewest calls in flight), or null (under the lock). Among equals, the one
    /// that answered last (its caches and code are warm), so sequential calls keep going to one worker. <paramref name="candidates"/>: workers with room.
    /// </summary>
    private WorkerState? PickWorker(long now, out int candidates)
    {
        WorkerState? best = null;
        candidates = 0;
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

            candidates++;
            if (best is null || worker.Reserved < best.Reserved
                || (worker.Reserved == best.Reserved && worker.LastAnswered > best.LastAnswered))
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
        for (int i = 0; i < _queue.Count; i++)
        {
            if (!_queue[i].IsDone)
            {
                return true;
            }
        }

        return false;
    }
}

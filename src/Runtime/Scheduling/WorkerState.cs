using System;
using System.Collections.Generic;
using ParallelGen.Backends;
using ParallelGen.Telemetry;

namespace ParallelGen.Scheduling;

/// <summary>
/// The scheduler's view of one worker: the calls sent to it in send order, and what decides whether it may take
/// another. A worker runs calls one at a time in arrival order, so the first call in flight is the running one.
/// Guarded by the scheduler's lock, except <see cref="SendLock"/>.
/// </summary>
internal sealed class WorkerState
{
    private readonly TaskDeque _inFlight = new();

    /// <summary>When the running call (the oldest in flight) started, in <see cref="Environment.TickCount64"/> milliseconds.</summary>
    private long _runningSince;

    /// <summary>How long the last answered call ran, in milliseconds; unknown (max) until one is answered.</summary>
    private long _lastDurationMilliseconds = long.MaxValue;

    public WorkerState(IWorker worker)
    {
        Worker = worker;
    }

    public IWorker Worker { get; }

    /// <summary>
    /// Held from the moment a call is put in flight until it is sent, so calls reach the worker in the order they
    /// were put in flight. Taken inside the scheduler's lock, which is released before sending; never the reverse.
    /// </summary>
    public object SendLock { get; } = new();

    /// <summary>Calls sent and not yet answered.</summary>
    public int Reserved => _inFlight.Count;

    /// <summary>Calls ever sent (for MaxTasksPerChild).</summary>
    public int Assigned { get; set; }

    /// <summary>Told to go once idle; its loss is not a crash.</summary>
    public bool Retiring { get; set; }

    /// <summary>Its resident memory passed <see cref="ProcessPoolOptions.MaxWorkerMemory"/>: it takes no new calls and is replaced once idle.</summary>
    public bool OverMemory { get; set; }

    /// <summary>Its initializer has not finished, so it takes no tasks yet.</summary>
    public bool Initializing { get; set; }

    /// <summary>Reported lost: it takes nothing more.</summary>
    public bool Lost { get; set; }

    /// <summary>The task this worker was stopped for running too long, if any.</summary>
    public PoolTask? TimedOut { get; set; }

    public PoolTask? Running => _inFlight.First;

    /// <summary>A sequence number of the worker's latest answer among all workers (0: none yet); the highest is the hot one.</summary>
    public long LastAnswered { get; private set; }

    private static long s_answers;

    public void PutInFlight(PoolTask task, long now)
    {
        task.Worker = this;
        _inFlight.AddLast(task);
        if (_inFlight.Count == 1)
        {
            _runningSince = now;
        }

        if (PoolMetrics.TasksRunning.Enabled)
        {
            PoolMetrics.TasksRunning.Add(1);
        }
    }

    /// <summary>Takes back a call whose send failed (the worker was gone).</summary>
    public void Unsend(PoolTask task)
    {
        if (_inFlight.Remove(task) && PoolMetrics.TasksRunning.Enabled)
        {
            PoolMetrics.TasksRunning.Add(-1);
        }
    }

    /// <summary>
    /// Removes and returns in-flight call <paramref name="callId"/>, or null if the worker does not have it. Calls
    /// finish in send order, except that a withdrawn or cancelled call not yet started may be answered first.
    /// </summary>
    public PoolTask? TakeAnswered(long callId, long now)
    {
        for (int i = 0; i < _inFlight.Count; i++)
        {
            PoolTask task = _inFlight[i];
            if (task.CallId != callId)
            {
                continue;
            }

            if (i == 0)
            {
                _lastDurationMilliseconds = now - _runningSince;
                _runningSince = now; // the next call in flight starts now
            }

            _inFlight.RemoveAt(i);
            LastAnswered = System.Threading.Interlocked.Increment(ref s_answers);
            if (PoolMetrics.TasksRunning.Enabled)
            {
                PoolMetrics.TasksRunning.Add(-1);
            }

            return task;
        }

        return null;
    }

    /// <summary>
    /// True if a second call may be sent before the running one ends: only for a worker whose calls are short (the
    /// last one and the running one so far). Prefetching saves a round trip per call, which matters only when calls
    /// take about that long; a long call would make the next one wait while another worker may be free.
    /// </summary>
    public bool CanPrefetch(long now, long shortCallMilliseconds) =>
        _lastDurationMilliseconds < shortCallMilliseconds && now - _runningSince < shortCallMilliseconds;

    /// <summary>The first call in flight that has not started (queued behind the running one), if any.</summary>
    public PoolTask? FindWaiting()
    {
        for (int i = 1; i < _inFlight.Count; i++)
        {
            PoolTask task = _inFlight[i];
            if (!task.Withdrawing && !task.IsDone)
            {
                return task;
            }
        }

        return null;
    }

    /// <summary>The running task if it has run for at least <paramref name="limitMilliseconds"/>, else null.</summary>
    public PoolTask? FindOverdue(long now, long limitMilliseconds) =>
        !Lost && _inFlight.First is { } head && now - _runningSince >= limitMilliseconds ? head : null;

    /// <summary>Hands back every call still in flight, oldest (the running one) first, and forgets them.</summary>
    public List<PoolTask> Drain()
    {
        var drained = new List<PoolTask>(_inFlight.Count);
        _inFlight.CopyTo(drained);
        _inFlight.Clear();
        PoolMetrics.TasksRunning.Add(-drained.Count);
        return drained;
    }
}

using System;
using System.Collections.Generic;
using System.Threading;

namespace ParallelGen.Backends.InProcess;

/// <summary>
/// Workers as logical workers on this process's thread pool, each running its calls one at a time from exactly
/// the bytes a child process would get. The scheduler drives them like any other backend, so every option keeps
/// its meaning; what cannot be done here (killing a thread) is documented on <see cref="PoolBackend.InProcess"/>.
/// </summary>
internal sealed class InProcessBackend : IWorkerBackend
{
    private readonly object _lock = new();
    private readonly ProcessPoolOptions _options;
    private readonly IWorkerEvents _events;
    private readonly List<InProcessWorker> _live = new();
    private bool _terminated;

    public InProcessBackend(ProcessPoolOptions options, IWorkerEvents events)
    {
        _options = options;
        _events = events;
    }

    public int Processes => _options.Processes;

    public void StartWorker()
    {
        var worker = new InProcessWorker(_options.MaxMessageBytes, _events, Forget);
        lock (_lock)
        {
            if (_terminated)
            {
                _events.OnStartFailed(new WorkerStartException("The pool is terminated."), mayRetry: false);
                return;
            }

            _live.Add(worker);
        }

        _events.OnReady(worker);
    }

    public void Terminate()
    {
        List<InProcessWorker> workers;
        lock (_lock)
        {
            _terminated = true;
            workers = new List<InProcessWorker>(_live);
            _live.Clear();
            Monitor.PulseAll(_lock);
        }

        foreach (InProcessWorker worker in workers)
        {
            worker.Abandon();
        }
    }

    public bool Join(TimeSpan timeout)
    {
        long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_lock)
        {
            while (_live.Count > 0)
            {
                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0 || !Monitor.Wait(_lock, (int)Math.Min(remaining, int.MaxValue)))
                {
                    return _live.Count == 0;
                }
            }

            return true;
        }
    }

    public void Dispose()
    {
    }

    private void Forget(InProcessWorker worker)
    {
        lock (_lock)
        {
            _live.Remove(worker);
            Monitor.PulseAll(_lock);
        }
    }
}

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
    private readonly ProcessPoolOptions _options;
    private readonly IWorkerEvents _events;
    private readonly LiveWorkers<InProcessWorker> _live = new();
    private bool _terminated;

    public InProcessBackend(ProcessPoolOptions options, IWorkerEvents events)
    {
        _options = options;
        _events = events;
    }

    public int Processes => _options.Processes;

    public void StartWorker()
    {
        var worker = new InProcessWorker(_options.MaxMessageBytes, _events, _live.Remove);
        if (Volatile.Read(ref _terminated))
        {
            _events.OnStartFailed(new WorkerStartException("The pool is terminated."), mayRetry: false);
            return;
        }

        _live.Add(worker);

        _events.OnReady(worker);
    }

    public void Terminate()
    {
        Volatile.Write(ref _terminated, true);
        List<InProcessWorker> workers = _live.Snapshot();
        _live.Clear();
        foreach (InProcessWorker worker in workers)
        {
            worker.Abandon();
        }
    }

    public bool Join(TimeSpan timeout) => _live.Join(timeout);

    public void Dispose()
    {
    }
}

using System;
using System.Collections.Generic;
using System.Threading;

namespace ParallelGen.Backends;

/// <summary>
/// The workers a backend started that are not gone yet, and a way to wait until none is left (what
/// <see cref="IWorkerBackend.Join"/> means for every backend). Thread-safe.
/// </summary>
internal sealed class LiveWorkers<TWorker>
    where TWorker : class
{
    private readonly List<TWorker> _workers = new();

    public void Add(TWorker worker)
    {
        lock (_workers)
        {
            _workers.Add(worker);
        }
    }

    public void Remove(TWorker worker)
    {
        lock (_workers)
        {
            _workers.Remove(worker);
            Monitor.PulseAll(_workers);
        }
    }

    /// <summary>A copy of the workers still live.</summary>
    public List<TWorker> Snapshot()
    {
        lock (_workers)
        {
            return new List<TWorker>(_workers);
        }
    }

    /// <summary>Forgets every worker (after a terminate has dealt with them) and wakes whoever waits.</summary>
    public void Clear()
    {
        lock (_workers)
        {
            _workers.Clear();
            Monitor.PulseAll(_workers);
        }
    }

    /// <summary>Waits at most <paramref name="timeout"/> until no worker is left; true if none is.</summary>
    public bool Join(TimeSpan timeout)
    {
        long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_workers)
        {
            while (_workers.Count > 0)
            {
                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0 || !Monitor.Wait(_workers, (int)Math.Min(remaining, int.MaxValue)))
                {
                    return _workers.Count == 0;
                }
            }

            return true;
        }
    }
}

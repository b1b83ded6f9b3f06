using System;

namespace ParallelGen.Pool;

/// <summary>
/// Where a pool's tasks run. The pool encodes calls and decodes results; an executor only moves encoded tasks
/// to something that runs them: child processes today, other backends (in-process, a cluster) behind the
/// same seam without touching handles or verbs.
/// </summary>
internal interface ITaskExecutor
{
    int Processes { get; }

    /// <summary>Queues tasks in FIFO order.</summary>
    /// <exception cref="InvalidOperationException">The executor no longer accepts work.</exception>
    void Submit(ReadOnlySpan<PoolTask> tasks);

    /// <summary>Withdraws a queued task, or signals a running one's cancellation token.</summary>
    void Cancel(PoolTask task);

    /// <summary>Stops accepting work; queued work still runs, then workers exit.</summary>
    void Close();

    /// <summary>Stops everything now; every unfinished task fails with <see cref="PoolTerminatedException"/>.</summary>
    void Terminate();

    /// <summary>Waits for every worker to exit after <see cref="Close"/> or <see cref="Terminate"/>.</summary>
    bool Join(TimeSpan timeout);
}

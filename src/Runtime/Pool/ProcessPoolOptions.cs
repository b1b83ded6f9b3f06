using System;
using Microsoft.Extensions.Logging;

namespace ParallelGen;

/// <summary>Settings for a <see cref="ProcessPool"/>.</summary>
public sealed class ProcessPoolOptions
{
    /// <summary>Number of worker processes; defaults to <see cref="Environment.ProcessorCount"/>.</summary>
    public int Processes { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Replace a worker after it has run this many tasks (Python's <c>maxtasksperchild</c>); null keeps workers
    /// for the pool's lifetime. A map chunk counts as one task.
    /// </summary>
    public int? MaxTasksPerChild { get; init; }

    /// <summary>
    /// Replace a worker whose resident memory (RSS) exceeds this many bytes after a task, as loky/joblib do for
    /// leaky code: it takes no new calls, finishes the ones it holds, exits, and a fresh worker starts. Null (the
    /// default) never measures. Measured by the process backend on Linux (<c>/proc/&lt;pid&gt;/statm</c>); workers
    /// that share this process (<see cref="InProcess"/>) have no memory of their own to measure.
    /// </summary>
    public long? MaxWorkerMemory { get; init; }

    /// <summary>
    /// A <c>[ProcessParallel]</c> call run once in every new worker, replacements included, before any task
    /// (Python's <c>initializer</c>/<c>initargs</c>). If it fails, the pool fails its queued work with a
    /// <see cref="WorkerStartException"/> that carries the initializer's error, instead of restarting forever.
    /// </summary>
    public ProcessInitializer? Initializer { get; init; }

    /// <summary>
    /// A task running longer than this is stopped: its worker is killed and replaced, and its result fails with
    /// <see cref="TimeoutException"/>. Null (the default) lets tasks run as long as they need.
    /// </summary>
    public TimeSpan? TaskTimeout { get; init; }

    /// <summary>
    /// How many times to run a task again when the worker running it crashes (0, the default, never retries:
    /// tasks may not be safe to repeat). Timeouts and the method's own exceptions are never retried.
    /// </summary>
    public int MaxRetries { get; init; }

    /// <summary>
    /// Run calls on this process's thread pool instead of child processes, through the same serialization path:
    /// for debugging with breakpoints. A shorthand for <see cref="Backend"/> = <see cref="PoolBackend.InProcess"/>:
    /// nothing is isolated from a crash, and a timed-out task has its token cancelled but its thread runs on.
    /// </summary>
    public bool InProcess { get; init; }

    /// <summary>
    /// Where calls run: <see cref="PoolBackend.Processes"/> (child processes on this machine) when null, the
    /// default; <see cref="PoolBackend.InProcess"/> (what <see cref="InProcess"/> selects); or a cluster backend
    /// from another package. Every verb, result, exception type and option keeps its meaning on every backend.
    /// </summary>
    public PoolBackend? Backend { get; init; }

    /// <summary>
    /// The largest message accepted on a worker connection, in bytes (a call's encoded arguments or results);
    /// default 1 GiB. A larger argument fails at submission with <see cref="ArgumentException"/>; a larger frame
    /// from a worker is a <see cref="ProtocolException"/> that replaces the worker.
    /// </summary>
    public int MaxMessageBytes { get; init; } = 1024 * 1024 * 1024;

    /// <summary>
    /// Where the pool logs worker starts, exits, crashes, retries and timeouts; silent by default. Metrics are
    /// published separately under the meter named "ParallelGen".
    /// </summary>
    public ILogger? Logger { get; init; }

    /// <summary>Start a replacement when a worker dies (always, except for a <see cref="WorkerProcess"/>).</summary>
    internal bool ReplaceWorkers { get; init; } = true;

    internal void Validate()
    {
        if (Processes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Processes), Processes, "A pool needs at least one process.");
        }

        if (MaxTasksPerChild is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTasksPerChild), MaxTasksPerChild, "MaxTasksPerChild must be at least 1, or null.");
        }

        if (TaskTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(TaskTimeout), timeout, "TaskTimeout must be positive, or null.");
        }

        if (MaxMessageBytes < 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxMessageBytes), MaxMessageBytes, "MaxMessageBytes must be at least 4096.");
        }

        if (InProcess && Backend is not null && Backend != PoolBackend.InProcess)
        {
            throw new ArgumentException($"InProcess = true selects the in-process backend, but Backend is set to {Backend}: set one of the two.", nameof(Backend));
        }

        if (MaxWorkerMemory is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxWorkerMemory), MaxWorkerMemory, "MaxWorkerMemory must be a positive number of bytes, or null.");
        }

        if (MaxRetries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "MaxRetries cannot be negative.");
        }
    }
}

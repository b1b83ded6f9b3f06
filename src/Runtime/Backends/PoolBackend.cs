using ParallelGen.Backends;
using ParallelGen.Backends.InProcess;
using ParallelGen.Backends.Process;

namespace ParallelGen;

/// <summary>
/// Where a <see cref="ProcessPool"/> runs its calls (<see cref="ProcessPoolOptions.Backend"/>). Every backend keeps
/// the meaning of every verb, result and option; where one cannot honour an option, its documentation says so.
/// </summary>
public abstract class PoolBackend
{
    private protected PoolBackend()
    {
    }

    /// <summary>Child processes on this machine: the default.</summary>
    public static PoolBackend Processes { get; } = new ProcessPoolBackend(launched: null);

    /// <summary>
    /// Child processes like <see cref="Processes"/>, with every frame on the worker's Unix socket instead of shared
    /// memory: for hosts where one process may not map another's memory, and to compare the two transports.
    /// (<see cref="Processes"/> itself falls back to the socket for a worker that cannot map its shared memory.)
    /// </summary>
    public static PoolBackend ProcessesOverSockets { get; } = new ProcessPoolBackend(launched: null, sharedMemory: false);

    /// <summary>
    /// This process's thread pool, through the same serialization path: for debugging with breakpoints. A task
    /// that overruns <see cref="ProcessPoolOptions.TaskTimeout"/> has its token cancelled and its result failed, but
    /// its thread cannot be killed; nothing is isolated from a crash.
    /// </summary>
    public static PoolBackend InProcess { get; } = new InProcessPoolBackend();

    /// <summary>Opens the workers' side of one pool, reporting to <paramref name="events"/>.</summary>
    internal abstract IWorkerBackend Open(ProcessPoolOptions options, IWorkerEvents events);
}

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
    /// This process's thread pool, through the same serialization path: for debugging with breakpoints. A task
    /// that overruns <see cref="ProcessPoolOptions.TaskTimeout"/> has its token cancelled and its result failed, but
    /// its thread cannot be killed; nothing is isolated from a crash.
    /// </summary>
    public static PoolBackend InProcess { get; } = new InProcessPoolBackend();

    /// <summary>Opens the workers' side of one pool, reporting to <paramref name="events"/>.</summary>
    internal abstract IWorkerBackend Open(ProcessPoolOptions options, IWorkerEvents events);
}

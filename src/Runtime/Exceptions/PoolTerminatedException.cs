using System;

namespace ParallelGen;

/// <summary>
/// A task did not finish because its pool was terminated (<see cref="ProcessPool.Terminate"/> or
/// <see cref="ProcessPool.Dispose"/>) first. It derives from <see cref="OperationCanceledException"/>:
/// the work was cancelled, never silently lost.
/// </summary>
public sealed class PoolTerminatedException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    public PoolTerminatedException()
        : base("The process pool was terminated before this task finished.")
    {
    }
}

using System.Threading;

namespace ParallelGen;

/// <summary>
/// Thrown by <see cref="ProcessLock.Acquire"/> or <see cref="ProcessLock.TryAcquire"/> when the process that held the
/// lock died holding it. As with <see cref="AbandonedMutexException"/>, the lock IS now held by the caller, who should
/// check the data it guards and then <see cref="ProcessLock.Release"/> it.
/// </summary>
public sealed class ProcessLockAbandonedException : AbandonedMutexException
{
    /// <summary>Creates the exception.</summary>
    public ProcessLockAbandonedException()
        : base("The process that held the ProcessLock died holding it; the lock is now held by this caller. Check the data it guards, then release it.", null)
    {
    }
}

using System;
using ParallelGen.SharedState.Hub;
using ParallelGen.SharedState.Sync;

namespace ParallelGen;

/// <summary>
/// A lock across processes (Python's <c>multiprocessing.Lock</c>): held by one process at a time, waiters served in
/// arrival order. Not reentrant, and held by a process rather than a thread: any thread of the holding process may
/// release it. A lock whose holder dies is released, and the next acquirer gets <see cref="ProcessLockAbandonedException"/>
/// (holding the lock), so a crash never deadlocks the others.
/// </summary>
public sealed class ProcessLock : IDisposable
{
    private const string Name = "ProcessLock";
    private readonly HubRef _ref;

    /// <summary>Creates a free lock owned by this process.</summary>
    public ProcessLock()
    {
        var state = new LockState(SharedStateHub.Current) { Owner = this };
        _ref = state.Hub.RefTo(state.Id);
    }

    internal ProcessLock(HubRef reference)
    {
        _ref = reference;
    }

    internal HubRef Reference => _ref;

    /// <summary>Waits for the lock; dispose the result to release it: <c>using (gate.Acquire()) { ... }</c>.</summary>
    /// <exception cref="ProcessLockAbandonedException">The previous holder died holding it (the lock is now held).</exception>
    public Releaser Acquire()
    {
        Check(_ref.Call(LockState.Acquire));
        return new Releaser(this);
    }

    /// <summary>Waits at most <paramref name="timeout"/> for the lock.</summary>
    /// <returns>True if the lock is now held.</returns>
    /// <exception cref="ProcessLockAbandonedException">The previous holder died holding it (the lock is now held).</exception>
    public bool TryAcquire(TimeSpan timeout)
    {
        HubReply reply = _ref.Call(LockState.Acquire, default, HubRef.ToMilliseconds(timeout));
        if (reply.Status == HubStatus.Timeout)
        {
            return false;
        }

        Check(reply);
        return true;
    }

    /// <summary>Releases the lock.</summary>
    /// <exception cref="System.Threading.SynchronizationLockException">This process does not hold it.</exception>
    public void Release() => Check(_ref.Call(LockState.Release));

    /// <summary>Releases the lock in its owner's process (waiters get <see cref="ObjectDisposedException"/>); in a worker it does nothing.</summary>
    public void Dispose() => _ref.DisposeIfOwned();

    private static void Check(HubReply reply)
    {
        if (reply.Status == HubStatus.Abandoned)
        {
            throw new ProcessLockAbandonedException();
        }

        SharedStateErrors.ThrowIfFailed(reply, Name);
    }

    /// <summary>Releases the lock when disposed.</summary>
    public readonly struct Releaser : IDisposable
    {
        private readonly ProcessLock? _lock;

        internal Releaser(ProcessLock owner)
        {
            _lock = owner;
        }

        /// <summary>Releases the lock.</summary>
        public void Dispose() => _lock?.Release();
    }
}

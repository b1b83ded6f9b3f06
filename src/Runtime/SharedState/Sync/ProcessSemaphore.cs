using System;
using ParallelGen.SharedState.Hub;
using ParallelGen.SharedState.Sync;

namespace ParallelGen;

/// <summary>A counting semaphore across processes (Python's <c>multiprocessing.Semaphore</c>); waiters are served in arrival order.</summary>
public sealed class ProcessSemaphore : IDisposable
{
    private const string Name = "ProcessSemaphore";
    private readonly HubRef _ref;

    /// <summary>Creates a semaphore owned by this process with <paramref name="initialCount"/> free slots.</summary>
    public ProcessSemaphore(int initialCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCount);
        var state = new SemaphoreState(SharedStateHub.Current, initialCount) { Owner = this };
        _ref = state.Hub.RefTo(state.Id);
    }

    internal ProcessSemaphore(HubRef reference)
    {
        _ref = reference;
    }

    internal HubRef Reference => _ref;

    /// <summary>The number of free slots now.</summary>
    public int CurrentCount => BitConverter.ToInt32(Checked(_ref.Call(SemaphoreState.CurrentCount)).Payload);

    /// <summary>Waits for a slot and takes it.</summary>
    public void Wait() => Checked(_ref.Call(SemaphoreState.Wait));

    /// <summary>Waits at most <paramref name="timeout"/> for a slot.</summary>
    /// <returns>True if a slot was taken.</returns>
    public bool Wait(TimeSpan timeout) => ProcessEvent.TimedWait(_ref, SemaphoreState.Wait, timeout, Name);

    /// <summary>Frees <paramref name="releaseCount"/> slots. A slot is not owned: any process may release it, and slots taken by a process that dies are not given back.</summary>
    /// <returns>The count before the release.</returns>
    public int Release(int releaseCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(releaseCount, 1);
        return BitConverter.ToInt32(Checked(_ref.Call(SemaphoreState.Release, BitConverter.GetBytes(releaseCount))).Payload);
    }

    /// <summary>Releases the semaphore in its owner's process (waiters get <see cref="ObjectDisposedException"/>); in a worker it does nothing.</summary>
    public void Dispose() => _ref.DisposeIfOwned();

    private static HubReply Checked(HubReply reply)
    {
        SharedStateErrors.ThrowIfFailed(reply, Name);
        return reply;
    }
}

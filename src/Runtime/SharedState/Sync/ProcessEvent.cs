using System;
using System.Threading;
using ParallelGen.SharedState.Hub;
using ParallelGen.SharedState.Sync;

namespace ParallelGen;

/// <summary>A manual-reset event across processes (Python's <c>multiprocessing.Event</c>).</summary>
public sealed class ProcessEvent : IDisposable
{
    private const string Name = "ProcessEvent";
    private readonly HubRef _ref;

    /// <summary>Creates an event owned by this process, not set unless <paramref name="initialState"/>.</summary>
    public ProcessEvent(bool initialState = false)
    {
        var state = new EventState(SharedStateHub.Current, initialState) { Owner = this };
        _ref = state.Hub.RefTo(state.Id);
    }

    internal ProcessEvent(HubRef reference)
    {
        _ref = reference;
    }

    internal HubRef Reference => _ref;

    /// <summary>True while the event is set.</summary>
    public bool IsSet => Checked(_ref.Call(EventState.IsSet)).IsTrue;

    /// <summary>Sets the event: every waiter, now and until <see cref="Clear"/>, goes on.</summary>
    public void Set() => Checked(_ref.Call(EventState.Set));

    /// <summary>Clears the event: later waiters wait again.</summary>
    public void Clear() => Checked(_ref.Call(EventState.Clear));

    /// <summary>Waits until the event is set.</summary>
    public void Wait() => Checked(_ref.Call(EventState.Wait));

    /// <summary>Waits at most <paramref name="timeout"/> for the event to be set.</summary>
    /// <returns>True if it was set in time.</returns>
    public bool Wait(TimeSpan timeout) => TimedWait(_ref, EventState.Wait, timeout, Name);

    /// <summary>Releases the event in its owner's process (waiters get <see cref="ObjectDisposedException"/>); in a worker it does nothing.</summary>
    public void Dispose() => _ref.DisposeIfOwned();

    internal static bool TimedWait(HubRef reference, byte op, TimeSpan timeout, string name)
    {
        HubReply reply = reference.Call(op, default, HubRef.ToMilliseconds(timeout));
        if (reply.Status == HubStatus.Timeout)
        {
            return false;
        }

        SharedStateErrors.ThrowIfFailed(reply, name);
        return true;
    }

    private static HubReply Checked(HubReply reply)
    {
        SharedStateErrors.ThrowIfFailed(reply, Name);
        return reply;
    }
}

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

/// <summary>
/// A reusable barrier across processes (Python's <c>multiprocessing.Barrier</c>): each of the parties calls
/// <see cref="SignalAndWait()"/>, and all go on when the last arrives; then the next round starts.
/// </summary>
public sealed class ProcessBarrier : IDisposable
{
    private const string Name = "ProcessBarrier";
    private readonly HubRef _ref;

    /// <summary>Creates a barrier owned by this process for <paramref name="parties"/> participants.</summary>
    public ProcessBarrier(int parties)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parties, 1);
        var state = new BarrierState(SharedStateHub.Current, parties) { Owner = this };
        _ref = state.Hub.RefTo(state.Id);
    }

    internal ProcessBarrier(HubRef reference)
    {
        _ref = reference;
    }

    internal HubRef Reference => _ref;

    /// <summary>The number of completed rounds.</summary>
    public long CurrentPhaseNumber => BitConverter.ToInt64(Checked(_ref.Call(BarrierState.Phase)).Payload);

    /// <summary>Arrives and waits for the other parties.</summary>
    public void SignalAndWait() => Checked(_ref.Call(BarrierState.SignalAndWait));

    /// <summary>Arrives and waits at most <paramref name="timeout"/>; on timeout the arrival is withdrawn, as with <see cref="Barrier"/>.</summary>
    /// <returns>True if every party arrived in time.</returns>
    public bool SignalAndWait(TimeSpan timeout) => ProcessEvent.TimedWait(_ref, BarrierState.SignalAndWait, timeout, Name);

    /// <summary>Releases the barrier in its owner's process (waiters get <see cref="ObjectDisposedException"/>); in a worker it does nothing.</summary>
    public void Dispose() => _ref.DisposeIfOwned();

    private static HubReply Checked(HubReply reply)
    {
        SharedStateErrors.ThrowIfFailed(reply, Name);
        return reply;
    }
}

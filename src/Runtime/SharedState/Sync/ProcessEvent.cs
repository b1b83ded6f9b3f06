using System;
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

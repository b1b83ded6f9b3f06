using System;
using ParallelGen.SharedState.Hub;

namespace ParallelGen.SharedState.Sync;

/// <summary>
/// The lock behind a <see cref="ProcessLock"/>: held by one process at a time (its connection, or the owner's own
/// process), granted to waiters in arrival order. When the holder's connection closes, the lock is released and
/// marked abandoned; the next process to get it is told so.
/// </summary>
internal sealed class LockState : HubObject
{
    public const byte Acquire = 1;
    public const byte Release = 2;

    private bool _held;
    private HubSession? _holder;
    private bool _abandoned;

    public LockState(SharedStateHub hub)
        : base(hub)
    {
    }

    protected override void HandleLocked(byte op, ReadOnlySpan<byte> payload, int timeoutMs, HubWaiter waiter)
    {
        switch (op)
        {
            case Acquire when !_held:
                Grant(waiter);
                break;
            case Acquire:
                Park(waiter, timeoutMs);
                break;
            case Release when !_held:
                waiter.TryComplete(HubStatus.NotHeld, SharedStateErrors.Text("The ProcessLock is not held."));
                break;
            case Release when _holder != waiter.Session:
                waiter.TryComplete(HubStatus.NotHeld, SharedStateErrors.Text("The ProcessLock is held by another process; only the holder can release it."));
                break;
            case Release:
                ReleaseLocked();
                waiter.TryComplete(HubStatus.Ok);
                break;
            default:
                waiter.TryComplete(HubStatus.Error, SharedStateErrors.Text($"Unknown lock operation {op}."));
                break;
        }
    }

    protected override void OnSessionClosedLocked(HubSession session)
    {
        if (_held && _holder == session)
        {
            _abandoned = true;
            ReleaseLocked();
        }
    }

    private void ReleaseLocked()
    {
        _held = false;
        _holder = null;
        while (Waiters.Count > 0 && !_held)
        {
            HubWaiter next = Waiters[0];
            Waiters.RemoveAt(0);
            Grant(next);
        }
    }

    private void Grant(HubWaiter waiter)
    {
        if (waiter.TryComplete(_abandoned ? HubStatus.Abandoned : HubStatus.Ok))
        {
            _held = true;
            _holder = waiter.Session;
            _abandoned = false;
        }
    }
}

using System;
using ParallelGen.SharedState.Hub;

namespace ParallelGen.SharedState.Sync;

/// <summary>The manual-reset event behind a <see cref="ProcessEvent"/>: <c>Set</c> releases every waiter, now and until <c>Clear</c>.</summary>
internal sealed class EventState : HubObject
{
    public const byte Set = 1;
    public const byte Clear = 2;
    public const byte IsSet = 3;
    public const byte Wait = 4;

    private bool _set;

    public EventState(SharedStateHub hub, bool initialState)
        : base(hub)
    {
        _set = initialState;
    }

    protected override void HandleLocked(byte op, ReadOnlySpan<byte> payload, int timeoutMs, HubWaiter waiter)
    {
        switch (op)
        {
            case Set:
                _set = true;
                while (CompleteFirst(HubStatus.Ok, null, out _))
                {
                }

                waiter.TryComplete(HubStatus.Ok);
                break;
            case Clear:
                _set = false;
                waiter.TryComplete(HubStatus.Ok);
                break;
            case IsSet:
                waiter.TryComplete(HubStatus.Ok, Bool(_set));
                break;
            case Wait when _set:
                waiter.TryComplete(HubStatus.Ok);
                break;
            case Wait:
                Park(waiter, timeoutMs);
                break;
            default:
                waiter.TryComplete(HubStatus.Error, SharedStateErrors.Text($"Unknown event operation {op}."));
                break;
        }
    }
}

/// <summary>The counting semaphore behind a <see cref="ProcessSemaphore"/>; waiters are served in arrival order.</summary>
internal sealed class SemaphoreState : HubObject
{
    public const byte Wait = 1;
    public const byte Release = 2;
    public const byte CurrentCount = 3;

    private int _count;

    public SemaphoreState(SharedStateHub hub, int initialCount)
        : base(hub)
    {
        _count = initialCount;
    }

    protected override void HandleLocked(byte op, ReadOnlySpan<byte> payload, int timeoutMs, HubWaiter waiter)
    {
        switch (op)
        {
            case Wait when _count > 0:
                _count--;
                waiter.TryComplete(HubStatus.Ok);
                break;
            case Wait:
                Park(waiter, timeoutMs);
                break;
            case Release:
                int releases = BitConverter.ToInt32(payload);
                int previous = _count;
                if (releases < 1 || (long)_count + releases > int.MaxValue)
                {
                    waiter.TryComplete(HubStatus.Error, SharedStateErrors.Text($"Cannot release the semaphore {releases} times: its count is {_count}."));
                    break;
                }

                _count += releases;
                while (_count > 0 && CompleteFirst(HubStatus.Ok, null, out _))
                {
                    _count--;
                }

                waiter.TryComplete(HubStatus.Ok, BitConverter.GetBytes(previous));
                break;
            case CurrentCount:
                waiter.TryComplete(HubStatus.Ok, BitConverter.GetBytes(_count));
                break;
            default:
                waiter.TryComplete(HubStatus.Error, SharedStateErrors.Text($"Unknown semaphore operation {op}."));
                break;
        }
    }
}

/// <summary>
/// The reusable barrier behind a <see cref="ProcessBarrier"/>: when the last of the parties arrives, every waiter of
/// the round is released and the next round starts. A party that times out, is cancelled or whose process dies while
/// waiting withdraws its arrival, as .NET's <see cref="System.Threading.Barrier"/> does on a timeout.
/// </summary>
internal sealed class BarrierState : HubObject
{
    public const byte SignalAndWait = 1;
    public const byte Phase = 2;

    private readonly int _parties;
    private int _arrived;
    private long _phase;

    public BarrierState(SharedStateHub hub, int parties)
        : base(hub)
    {
        _parties = parties;
    }

    protected override void HandleLocked(byte op, ReadOnlySpan<byte> payload, int timeoutMs, HubWaiter waiter)
    {
        switch (op)
        {
            case SignalAndWait when _arrived + 1 == _parties:
                _arrived = 0;
                _phase++;
                byte[] phase = BitConverter.GetBytes(_phase);
                while (CompleteFirst(HubStatus.Ok, phase, out _))
                {
                }

                waiter.TryComplete(HubStatus.Ok, phase);
                break;
            case SignalAndWait when timeoutMs == 0:
                waiter.TryComplete(HubStatus.Timeout);
                break;
            case SignalAndWait:
                _arrived++;
                Park(waiter, timeoutMs);
                break;
            case Phase:
                waiter.TryComplete(HubStatus.Ok, BitConverter.GetBytes(_phase));
                break;
            default:
                waiter.TryComplete(HubStatus.Error, SharedStateErrors.Text($"Unknown barrier operation {op}."));
                break;
        }
    }

    protected override void OnWithdrawnLocked(HubWaiter waiter) => _arrived--;
}

using System;
using System.Threading;
using ParallelGen.SharedState.Hub;
using ParallelGen.SharedState.Sync;

namespace ParallelGen;

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

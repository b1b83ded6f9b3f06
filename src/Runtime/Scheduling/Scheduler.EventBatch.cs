using System;

namespace ParallelGen.Scheduling;

/// <summary>
/// A backend's batch of events (<c>IWorkerEvents.BeginBatch</c>/<c>EndBatch</c>: every frame one receive brought):
/// the events inside it defer their pump, which runs once at its end.
/// </summary>
internal sealed partial class Scheduler
{
    /// <summary>Set on a backend thread between <see cref="BeginBatch"/> and <see cref="EndBatch"/>.</summary>
    [ThreadStatic]
    private static Scheduler? t_batching;

    [ThreadStatic]
    private static bool t_pumpDeferred;

    public void BeginBatch() => t_batching = this;

    public void EndBatch()
    {
        if (t_batching != this)
        {
            return;
        }

        t_batching = null;
        if (t_pumpDeferred)
        {
            t_pumpDeferred = false;
            Pump();
        }
    }

    /// <summary>True if this thread is in a batch of events: the pump runs once, at its end.</summary>
    private bool DeferPump()
    {
        if (t_batching != this)
        {
            return false;
        }

        t_pumpDeferred = true;
        return true;
    }
}

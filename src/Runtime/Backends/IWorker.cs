using System;

namespace ParallelGen.Backends;

/// <summary>
/// One worker of a backend, as the scheduler drives it. A worker runs the calls it is sent one at a time, in the
/// order they were sent, and answers every one of them exactly once (answered, failed or withdrawn) unless it is
/// lost first. Methods never throw for a worker that is gone: the loss is reported through
/// <see cref="IWorkerEvents.OnLost"/>.
/// </summary>
internal interface IWorker
{
    /// <summary>The worker's process id where it has one (for messages and exceptions), else null.</summary>
    int? ProcessId { get; }

    /// <summary>
    /// The worker's resident memory in bytes now, where the backend can measure it separately from this process
    /// (for <see cref="ProcessPoolOptions.MaxWorkerMemory"/>); null where it cannot.
    /// </summary>
    long? MeasureResidentBytes();

    /// <summary>Sends call <paramref name="callId"/>.</summary>
    /// <returns>False if the worker is gone; the call never reached it and can go elsewhere.</returns>
    bool TrySend(long callId, EncodedCall call);

    /// <summary>
    /// Sends several calls in order, in as few writes as the backend can (a process worker: one <c>send</c> for a
    /// batch of small calls). The scheduler hands a worker several calls at once whenever it may hold them.
    /// </summary>
    /// <returns>How many calls, from the first, reached the worker; fewer than all if it is gone.</returns>
    int TrySend(ReadOnlySpan<(long CallId, EncodedCall Call)> calls)
    {
        for (int i = 0; i < calls.Length; i++)
        {
            if (!TrySend(calls[i].CallId, calls[i].Call))
            {
                return i;
            }
        }

        return calls.Length;
    }

    /// <summary>Skips call <paramref name="callId"/> if it has not started (it is then answered as failed), or signals its token.</summary>
    void Cancel(long callId);

    /// <summary>Gives call <paramref name="callId"/> back unstarted (answered as withdrawn), or does nothing if it started.</summary>
    void Withdraw(long callId);

    /// <summary>Finishes the calls it has, then goes away with <paramref name="exitCode"/>; the loss that follows is no crash.</summary>
    void Retire(int exitCode);

    /// <summary>Stops the worker now (a timed-out call): what it ran and held is reported lost.</summary>
    void Stop();
}

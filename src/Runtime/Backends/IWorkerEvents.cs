using System;
using ParallelGen.Protocol;

namespace ParallelGen.Backends;

/// <summary>
/// What a backend tells the scheduler. Calls come from the backend's own threads, one worker's events in the
/// order they happened. The scheduler owns every task: a backend only reports call ids.
/// </summary>
internal interface IWorkerEvents
{
    /// <summary>A started worker can take calls.</summary>
    void OnReady(IWorker worker);

    /// <summary>Call <paramref name="callId"/> succeeded with <paramref name="results"/> (valid only during the call).</summary>
    /// <returns>False if the worker answered a call it does not have: a protocol violation.</returns>
    bool OnAnswered(IWorker worker, long callId, ReadOnlySpan<byte> results);

    /// <summary>Call <paramref name="callId"/> threw in the worker.</summary>
    /// <returns>False if the worker answered a call it does not have.</returns>
    bool OnFailed(IWorker worker, long callId, RemoteError error);

    /// <summary>Call <paramref name="callId"/> came back unstarted after <see cref="IWorker.Withdraw"/>.</summary>
    /// <returns>False if the worker answered a call it does not have.</returns>
    bool OnWithdrawn(IWorker worker, long callId);

    /// <summary>
    /// The events that follow on this thread, up to <see cref="EndBatch"/>, arrived together (several answers in one
    /// read): the scheduler hands out new calls once, after the last of them, instead of once per answer.
    /// </summary>
    void BeginBatch();

    /// <summary>Ends what <see cref="BeginBatch"/> began.</summary>
    void EndBatch();

    /// <summary>A ready worker is gone; every call it held is unanswered. Reported once per worker.</summary>
    void OnLost(IWorker worker, WorkerExit exit);

    /// <summary>
    /// A worker asked for with <see cref="IWorkerBackend.StartWorker"/> never became ready. <paramref name="mayRetry"/>
    /// is false when trying again cannot help (the launcher itself failed, the host is missing): with no other worker
    /// serving, the pool then fails its work at once instead of trying again after a back-off.
    /// </summary>
    void OnStartFailed(WorkerStartException error, bool mayRetry);
}

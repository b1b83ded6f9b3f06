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

    /// <summary>Skips call <paramref name="callId"/> if it has not started (it is then answered as failed), or signals its token.</summary>
    void Cancel(long callId);

    /// <summary>Gives call <paramref name="callId"/> back unstarted (answered as withdrawn), or does nothing if it started.</summary>
    void Withdraw(long callId);

    /// <summary>Finishes the calls it has, then goes away with <paramref name="exitCode"/>; the loss that follows is no crash.</summary>
    void Retire(int exitCode);

    /// <summary>Stops the worker now (a timed-out call): what it ran and held is reported lost.</summary>
    void Stop();
}

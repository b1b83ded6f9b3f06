using System;

namespace ParallelGen.Backends;

/// <summary>
/// Where a pool's calls run: child processes, this process's thread pool, a cluster. A backend starts workers and
/// moves encoded calls to them; it never queues, retries or cancels on its own — the scheduler does, the same way
/// for every backend.
/// </summary>
internal interface IWorkerBackend : IDisposable
{
    /// <summary>How many workers the pool runs (for a cluster, its current total).</summary>
    int Processes { get; }

    /// <summary>
    /// Why this backend cannot carry a call whose payload has <paramref name="length"/> bytes (a limit of its own
    /// transport, named so the user knows what to raise), or null if it can. Checked at submission, beside
    /// <see cref="ProcessPoolOptions.MaxMessageBytes"/>.
    /// </summary>
    string? RejectPayload(int length) => null;

    /// <summary>
    /// Starts one worker, reported later through <see cref="IWorkerEvents.OnReady"/> or
    /// <see cref="IWorkerEvents.OnStartFailed"/>. Never throws.
    /// </summary>
    void StartWorker();

    /// <summary>
    /// Stops every worker now, started or starting, and waits a short grace for them to go. Events that arrive
    /// afterwards are ignored by the scheduler.
    /// </summary>
    void Terminate();

    /// <summary>Waits until every worker this backend ever started is gone.</summary>
    /// <returns>True if none is left.</returns>
    bool Join(TimeSpan timeout);
}

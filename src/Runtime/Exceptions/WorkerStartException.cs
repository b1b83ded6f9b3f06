using System;

namespace ParallelGen;

/// <summary>
/// Worker processes could not be started (the host was not found, or workers exited before connecting).
/// Queued tasks fail with this exception instead of waiting forever.
/// </summary>
public sealed class WorkerStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, including the command line that was tried.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public WorkerStartException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

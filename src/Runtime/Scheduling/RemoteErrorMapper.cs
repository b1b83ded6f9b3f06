using System;
using ParallelGen.Protocol;

namespace ParallelGen.Scheduling;

/// <summary>Turns an error a worker reported for a task into what the task's caller sees, for every backend alike.</summary>
internal static class RemoteErrorMapper
{
    /// <summary>
    /// A <see cref="RemoteException"/> chain; a cancellation the caller asked for becomes an
    /// <see cref="OperationCanceledException"/> carrying the caller's token (with the remote chain inside).
    /// </summary>
    public static Exception ToException(RemoteError error, PoolTask task, int? workerProcessId)
    {
        RemoteException remote = error.ToException(workerProcessId);
        return error.IsCancellation && (task.CancelRequested || task.CancellationToken.IsCancellationRequested)
            ? new OperationCanceledException(error.Message, remote, task.CancellationToken)
            : remote;
    }
}

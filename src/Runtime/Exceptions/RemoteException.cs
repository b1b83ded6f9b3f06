using System;
using System.Text;

namespace ParallelGen;

/// <summary>
/// An exception thrown by a <c>[ProcessParallel]</c> method in a worker process, rebuilt in the caller.
/// <see cref="RemoteType"/> names the original type, <see cref="Exception.Message"/> carries its message,
/// <see cref="RemoteStackTrace"/> is the worker's stack trace, and <see cref="Exception.InnerException"/>
/// mirrors the original's inner exceptions.
/// </summary>
public sealed class RemoteException : Exception
{
    /// <summary>Creates a remote exception.</summary>
    /// <param name="remoteType">The full type name of the exception thrown in the worker.</param>
    /// <param name="message">The original message.</param>
    /// <param name="remoteStackTrace">The worker's stack trace, if any.</param>
    /// <param name="innerException">The mirrored inner exception, if any.</param>
    public RemoteException(string remoteType, string message, string? remoteStackTrace, Exception? innerException = null)
        : base(message, innerException)
    {
        RemoteType = remoteType;
        RemoteStackTrace = remoteStackTrace;
    }

    /// <summary>The full type name of the exception thrown in the worker, e.g. <c>System.ArgumentException</c>.</summary>
    public string RemoteType { get; }

    /// <summary>The stack trace of the exception in the worker.</summary>
    public string? RemoteStackTrace { get; }

    /// <summary>The worker's process id, when known.</summary>
    public int? WorkerProcessId { get; init; }

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(GetType().FullName).Append(": ").Append(RemoteType).Append(": ").Append(Message);
        if (WorkerProcessId is int pid)
        {
            text.Append(" (in worker process ").Append(pid).Append(')');
        }

        if (InnerException is not null)
        {
            text.AppendLine().Append(" ---> ").Append(InnerException.ToString()).AppendLine().Append("   --- End of inner exception stack trace ---");
        }

        if (!string.IsNullOrEmpty(RemoteStackTrace))
        {
            text.AppendLine().Append("   --- Remote stack trace ---").AppendLine().Append(RemoteStackTrace);
        }

        if (StackTrace is string local)
        {
            text.AppendLine().Append("   --- Local stack trace ---").AppendLine().Append(local);
        }

        return text.ToString();
    }
}

using System;
using MemoryPack;

namespace ParallelGen.Protocol;

/// <summary>An exception as it crosses the process boundary: type name, message, stack trace, inner chain.</summary>
[MemoryPackable]
internal sealed partial class RemoteError
{
    public string Type { get; set; } = "";

    public string Message { get; set; } = "";

    public string? StackTrace { get; set; }

    public RemoteError? Inner { get; set; }

    /// <summary>Captures an exception; the first inner exception of an aggregate stands for its chain.</summary>
    public static RemoteError From(Exception exception, int depth = 0)
    {
        Exception? inner = exception is AggregateException { InnerExceptions.Count: > 0 } aggregate
            ? aggregate.InnerExceptions[0]
            : exception.InnerException;
        return new RemoteError
        {
            Type = exception.GetType().FullName ?? exception.GetType().Name,
            Message = exception.Message,
            StackTrace = exception.StackTrace,
            // Bounded: a cyclic or absurdly deep chain must not blow the worker's stack.
            Inner = inner is null || depth >= 32 ? null : From(inner, depth + 1),
        };
    }

    public RemoteException ToException(int? workerProcessId) =>
        new(Type, Message, StackTrace, Inner?.ToException(workerProcessId)) { WorkerProcessId = workerProcessId };

    public bool IsCancellation =>
        Type is "System.OperationCanceledException" or "System.Threading.Tasks.TaskCanceledException";
}

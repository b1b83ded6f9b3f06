using System;
using System.Collections.Generic;
using MemoryPack;
using ParallelGen.Serialization;

namespace ParallelGen.Protocol;

/// <summary>
/// An exception as it crosses the process boundary: the exception and its inner exceptions, outermost first,
/// as a flat list. Flat on purpose: decoding never recurses, so no payload (however deep or hostile) can
/// overflow the stack of the process that reads it.
/// </summary>
[MemoryPackable]
internal sealed partial class RemoteError
{
    /// <summary>At most this many exceptions of a chain travel; deeper ones are summarised as cut.</summary>
    public const int MaxChainLength = 32;

    public RemoteErrorEntry[] Chain { get; set; } = Array.Empty<RemoteErrorEntry>();

    [MemoryPackIgnore]
    public bool IsCancellation => Type is "System.OperationCanceledException" or "System.Threading.Tasks.TaskCanceledException";

    /// <summary>The outermost exception's type name.</summary>
    [MemoryPackIgnore]
    public string Type => Chain.Length > 0 ? Chain[0].Type : "";

    /// <summary>The outermost exception's message.</summary>
    [MemoryPackIgnore]
    public string Message => Chain.Length > 0 ? Chain[0].Message : "";

    /// <summary>Captures an exception; the first inner exception of an aggregate stands for its chain.</summary>
    public static RemoteError From(Exception exception)
    {
        var chain = new List<RemoteErrorEntry>();
        for (Exception? current = exception; current is not null && chain.Count < MaxChainLength; current = InnerOf(current))
        {
            chain.Add(new RemoteErrorEntry
            {
                Type = current.GetType().FullName ?? current.GetType().Name,
                Message = current.Message,
                StackTrace = current.StackTrace,
            });
        }

        return new RemoteError { Chain = chain.ToArray() };
    }

    /// <summary>Decodes the payload of an Error frame, which came from another process.</summary>
    /// <exception cref="ProtocolException">
    /// The bytes are not an error report: a lying length (MemoryPack throws <see cref="MemoryPackSerializationException"/>,
    /// or <see cref="OverflowException"/> for a negative array count), or nothing at all.
    /// </exception>
    public static RemoteError Decode(ReadOnlySpan<byte> payload, int? workerProcessId)
    {
        try
        {
            return MemoryPackStates.Deserialize<RemoteError>(payload)
                ?? throw new ProtocolException($"Worker {workerProcessId} reported a failure without details.");
        }
        catch (Exception malformed) when (malformed is MemoryPackSerializationException or OverflowException or ArgumentException)
        {
            throw new ProtocolException($"Worker {workerProcessId} sent a malformed error report ({payload.Length} bytes): {malformed.Message}");
        }
    }

    /// <summary>Rebuilds the chain as nested <see cref="RemoteException"/>s, innermost first, without recursion.</summary>
    public RemoteException ToException(int? workerProcessId)
    {
        if (Chain.Length == 0)
        {
            return new RemoteException("System.Exception", "The worker reported an error without details.", null) { WorkerProcessId = workerProcessId };
        }

        RemoteException? inner = null;
        for (int i = Chain.Length - 1; i >= 0; i--)
        {
            RemoteErrorEntry entry = Chain[i];
            inner = new RemoteException(entry.Type, entry.Message, entry.StackTrace, inner) { WorkerProcessId = workerProcessId };
        }

        return inner!;
    }

    private static Exception? InnerOf(Exception exception) =>
        exception is AggregateException { InnerExceptions.Count: > 0 } aggregate ? aggregate.InnerExceptions[0] : exception.InnerException;
}

/// <summary>
/// One exception of a <see cref="RemoteError"/> chain. Its texts come from another process: each decodes through
/// <see cref="SafeStringAttribute"/>, because MemoryPack's generated code would otherwise read them with its unchecked
/// string reader.
/// </summary>
[MemoryPackable]
internal sealed partial class RemoteErrorEntry
{
    [SafeString]
    public string Type { get; set; } = "";

    [SafeString]
    public string Message { get; set; } = "";

    [SafeString]
    public string? StackTrace { get; set; }
}

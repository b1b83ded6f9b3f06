using System;
using System.Collections.Generic;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen.Orleans.Silo;

/// <summary>
/// Turns a failure of the silo's local pool back into the <see cref="RemoteError"/> its worker reported, so the
/// caller rebuilds the same <see cref="RemoteException"/> chain a local pool would give (the original type names,
/// messages and worker stack traces, not "RemoteException").
/// </summary>
internal static class RemoteErrors
{
    public static byte[] Encode(Exception exception)
    {
        var chain = new List<RemoteErrorEntry>();
        for (Exception? current = exception; current is not null && chain.Count < RemoteError.MaxChainLength; current = current.InnerException)
        {
            chain.Add(current is RemoteException remote
                ? new RemoteErrorEntry { Type = remote.RemoteType, Message = remote.Message, StackTrace = remote.RemoteStackTrace }
                : new RemoteErrorEntry { Type = current.GetType().FullName ?? current.GetType().Name, Message = current.Message, StackTrace = current.StackTrace });
        }

        return MemoryPackStates.Serialize(new RemoteError { Chain = chain.ToArray() });
    }

    public static RemoteError Decode(byte[] bytes) =>
        MemoryPackStates.Deserialize<RemoteError>(bytes) ?? new RemoteError();
}

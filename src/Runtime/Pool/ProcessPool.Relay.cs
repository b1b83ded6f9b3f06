using System;
using System.Threading;
using System.Threading.Tasks;
using ParallelGen.Generated;
using ParallelGen.Pool;

namespace ParallelGen;

/// <summary>Running calls encoded elsewhere, for a backend that relays them (the silo side of a cluster).</summary>
public sealed partial class ProcessPool
{
    /// <summary>
    /// Runs an invoke payload (<see cref="Protocol.InvokePayload"/>, as a caller's pool encoded it) on this pool and
    /// returns the worker's encoded results. The method must be registered here (<see cref="DispatchRegistry"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The payload is larger than this pool's MaxMessageBytes.</exception>
    internal Task<byte[]> RunEncodedAsync(RemoteMethod method, bool traced, ReadOnlySpan<byte> payload, CancellationToken cancellationToken)
    {
        var task = new RelayedTask(method, traced, payload, cancellationToken);
        Submit(task);
        return task.Completion;
    }
}

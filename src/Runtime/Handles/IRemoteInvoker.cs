using System;
using System.Threading;
using System.Threading.Tasks;
using ParallelGen.Generated;
using ParallelGen.Serialization;

namespace ParallelGen.Handles;

/// <summary>The worker's view of a handle: decode a batch of argument sets, run the method, encode the results.</summary>
internal interface IRemoteInvoker
{
    RemoteMethodInfo Info { get; }

    /// <summary>
    /// Runs the method once per argument set in <paramref name="arguments"/> (<paramref name="count"/> sets,
    /// in order) and appends each result to <paramref name="results"/>. The first exception stops the batch.
    /// </summary>
    ValueTask InvokeBatchAsync(ReadOnlyMemory<byte> arguments, int count, PayloadBuffer results, CancellationToken cancellationToken);
}

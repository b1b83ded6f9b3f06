using System;
using System.Threading;
using System.Threading.Tasks;
using ParallelGen.Backends;
using ParallelGen.Scheduling;

namespace ParallelGen.Pool;

/// <summary>
/// A call that arrived already encoded from another process (a cluster node relaying a caller's call to its own
/// pool): it runs like any task, and completes with the worker's raw result bytes, undecoded, for the relay to
/// send back. Failures complete the task with the exception the caller of a local pool would get.
/// </summary>
internal sealed class RelayedTask : PoolTask
{
    private readonly TaskCompletionSource<byte[]> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RelayedTask(RemoteMethod method, bool traced, ReadOnlySpan<byte> payload, CancellationToken cancellationToken)
        : base(method)
    {
        CancellationToken = cancellationToken;
        Call = EncodedCall.FromPayload(method, traced, payload);
    }

    /// <summary>The worker's encoded results, or the failure.</summary>
    public Task<byte[]> Completion => _completion.Task;

    protected override void OnSucceeded(ReadOnlySpan<byte> results) => _completion.TrySetResult(results.ToArray());

    protected override void OnFailed(Exception error) => _completion.TrySetException(error);
}

using System;
using System.Threading;
using ParallelGen.Backends;
using ParallelGen.Handles;
using ParallelGen.Scheduling;
using ParallelGen.Serialization;

namespace ParallelGen.Pool;

/// <summary>A single call (<c>Apply</c>/<c>ApplyAsync</c>) completing one result.</summary>
internal sealed class CallTask<TArgs, TResult> : PoolTask
{
    private readonly RemoteCall<TArgs, TResult> _call;
    private readonly ResultCompletion<TResult> _completion;

    public CallTask(RemoteMethod method, RemoteCall<TArgs, TResult> call, TArgs args, ResultCompletion<TResult> completion, CancellationToken cancellationToken)
        : base(method)
    {
        _call = call;
        _completion = completion;
        CancellationToken = cancellationToken;
        PayloadBuffer buffer = EncodedCall.Begin(64);
        try
        {
            call.WriteArguments(buffer, new ReadOnlySpan<TArgs>(in args));
        }
        catch
        {
            buffer.Dispose();
            throw;
        }

        Call = EncodedCall.End(method, buffer, 1);
    }

    protected override void OnSucceeded(ReadOnlySpan<byte> results)
    {
        TResult value = default!;
        _call.ReadResults(results, new Span<TResult>(ref value));
        _completion.TrySetResult(value);
    }

    protected override void OnFailed(Exception error) => _completion.TrySetException(error);
}

using System;
using System.ComponentModel;
using System.Threading;
using System.Threading.Tasks;
using ParallelGen.Generated;
using ParallelGen.Handles;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>Handle to a void (or <c>Task</c>/<c>ValueTask</c>) method with parameters. Several parameters travel as one tuple.</summary>
/// <typeparam name="TArgs">The parameter type, or a tuple of the parameter types.</typeparam>
public sealed class RemoteAction<TArgs> : RemoteMethod
{
    /// <summary>Created by generated code only.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public RemoteAction(
        RemoteMethodInfo info,
        ArgumentWriter<TArgs> writeArguments,
        ArgumentReader<TArgs> readArguments,
        Func<TArgs, CancellationToken, ValueTask> invoke)
        : base(info)
    {
        ArgumentNullException.ThrowIfNull(invoke);
        Call = new RemoteCall<TArgs, Unit>(info, writeArguments, readArguments, (args, cancellationToken) => VoidCalls.ToUnit(invoke(args, cancellationToken)));
    }

    internal RemoteCall<TArgs, Unit> Call { get; }

    internal override IRemoteInvoker Invoker => Call;
}

/// <summary>Handle to a void (or <c>Task</c>/<c>ValueTask</c>) method without parameters.</summary>
public sealed class RemoteAction : RemoteMethod
{
    /// <summary>Created by generated code only.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public RemoteAction(RemoteMethodInfo info, Func<CancellationToken, ValueTask> invoke)
        : base(info)
    {
        ArgumentNullException.ThrowIfNull(invoke);
        Call = new RemoteCall<Unit, Unit>(info, null, null, (_, cancellationToken) => VoidCalls.ToUnit(invoke(cancellationToken)));
    }

    internal RemoteCall<Unit, Unit> Call { get; }

    internal override IRemoteInvoker Invoker => Call;
}

/// <summary>Adapts void calls to the shared <see cref="Unit"/>-result path without allocating when they finish synchronously.</summary>
internal static class VoidCalls
{
    public static ValueTask<Unit> ToUnit(ValueTask call) =>
        call.IsCompletedSuccessfully ? default : Await(call);

    private static async ValueTask<Unit> Await(ValueTask call)
    {
        await call.ConfigureAwait(false);
        return default;
    }
}

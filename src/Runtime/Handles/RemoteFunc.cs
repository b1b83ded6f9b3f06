using System;
using System.ComponentModel;
using System.Threading;
using System.Threading.Tasks;
using ParallelGen.Generated;
using ParallelGen.Handles;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>Handle to a method with parameters and a result. Several parameters travel as one tuple.</summary>
/// <typeparam name="TArgs">The parameter type, or a tuple of the parameter types.</typeparam>
/// <typeparam name="TResult">The result type (<c>Task&lt;T&gt;</c> and <c>ValueTask&lt;T&gt;</c> are unwrapped: the worker awaits them).</typeparam>
public sealed class RemoteFunc<TArgs, TResult> : RemoteMethod
{
    /// <summary>Created by generated code only.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public RemoteFunc(
        RemoteMethodInfo info,
        ArgumentWriter<TArgs> writeArguments,
        ArgumentReader<TArgs> readArguments,
        Func<TArgs, CancellationToken, ValueTask<TResult>> invoke)
        : base(info)
    {
        Call = new RemoteCall<TArgs, TResult>(info, writeArguments, readArguments, invoke);
    }

    internal RemoteCall<TArgs, TResult> Call { get; }

    internal override IRemoteInvoker Invoker => Call;
}

/// <summary>Handle to a method without parameters that returns a result.</summary>
/// <typeparam name="TResult">The result type.</typeparam>
public sealed class RemoteFunc<TResult> : RemoteMethod
{
    /// <summary>Created by generated code only.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public RemoteFunc(RemoteMethodInfo info, Func<CancellationToken, ValueTask<TResult>> invoke)
        : base(info)
    {
        ArgumentNullException.ThrowIfNull(invoke);
        Call = new RemoteCall<Unit, TResult>(info, null, null, (_, cancellationToken) => invoke(cancellationToken));
    }

    internal RemoteCall<Unit, TResult> Call { get; }

    internal override IRemoteInvoker Invoker => Call;
}

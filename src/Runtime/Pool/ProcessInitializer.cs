using System;
using System.Threading;
using ParallelGen.Pool;
using ParallelGen.Scheduling;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>
/// A call run once in each new worker before it takes tasks (Python's <c>initializer</c> and <c>initargs</c>):
/// open a native library, warm a cache, seed per-process state.
/// </summary>
public sealed class ProcessInitializer
{
    private readonly Func<ResultCompletion<Unit>, PoolTask> _createTask;

    private ProcessInitializer(RemoteMethod method, Func<ResultCompletion<Unit>, PoolTask> createTask)
    {
        Method = method;
        _createTask = createTask;
    }

    /// <summary>The method it runs.</summary>
    public RemoteMethod Method { get; }

    /// <summary>Runs a void method with arguments shaped as in <see cref="ProcessPool.Apply{TArgs}(RemoteAction{TArgs}, TArgs, CancellationToken)"/>.</summary>
    public static ProcessInitializer Create<TArgs>(RemoteAction<TArgs> method, TArgs args)
    {
        ArgumentNullException.ThrowIfNull(method);
        return new(method, completion => new CallTask<TArgs, Unit>(method, method.Call, args, completion, CancellationToken.None));
    }

    /// <summary>Runs a parameterless void method.</summary>
    public static ProcessInitializer Create(RemoteAction method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return new(method, completion => new CallTask<Unit, Unit>(method, method.Call, default, completion, CancellationToken.None));
    }

    /// <summary>Runs a method whose result is ignored.</summary>
    public static ProcessInitializer Create<TArgs, TResult>(RemoteFunc<TArgs, TResult> method, TArgs args)
    {
        ArgumentNullException.ThrowIfNull(method);
        return new(method, completion => new CallTask<TArgs, TResult>(method, method.Call, args, Ignore<TResult>(completion), CancellationToken.None));
    }

    /// <summary>Runs a parameterless method whose result is ignored.</summary>
    public static ProcessInitializer Create<TResult>(RemoteFunc<TResult> method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return new(method, completion => new CallTask<Unit, TResult>(method, method.Call, default, Ignore<TResult>(completion), CancellationToken.None));
    }

    /// <summary>A fresh task for one worker, reporting its outcome to <paramref name="onSucceeded"/> or <paramref name="onFailed"/>.</summary>
    internal PoolTask CreateTask(Action onSucceeded, Action<Exception> onFailed)
    {
        PoolTask task = _createTask(new ResultCompletion<Unit>(_ => onSucceeded(), onFailed, null, null));
        task.IsInitializer = true;
        return task;
    }

    private static ResultCompletion<TResult> Ignore<TResult>(ResultCompletion<Unit> completion) =>
        new(_ => completion.TrySetResult(default), error => completion.TrySetException(error), null, null);

    /// <inheritdoc />
    public override string ToString() => Method.Signature;
}

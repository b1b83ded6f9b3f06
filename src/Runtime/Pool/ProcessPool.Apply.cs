using System;
using System.Threading;
using System.Threading.Tasks;
using ParallelGen.Pool;
using ParallelGen.Serialization;

namespace ParallelGen;

public sealed partial class ProcessPool
{
    /// <summary>Runs <paramref name="method"/> in a worker and waits for its result (Python's <c>apply</c>).</summary>
    /// <param name="method">The generated handle, e.g. <c>Jobs.Remote.Square</c>.</param>
    /// <param name="args">The argument; for several parameters, one tuple <c>(a, b)</c>.</param>
    /// <param name="cancellationToken">Withdraws the call if queued, or signals the method's own token if running.</param>
    /// <exception cref="RemoteException">The method threw in the worker.</exception>
    /// <exception cref="WorkerCrashedException">The worker died while running it.</exception>
    public TResult Apply<TArgs, TResult>(RemoteFunc<TArgs, TResult> method, TArgs args, CancellationToken cancellationToken = default) =>
        ApplyAsync(method, args, cancellationToken: cancellationToken).Get();

    /// <summary>Runs a parameterless <paramref name="method"/> in a worker and waits for its result.</summary>
    public TResult Apply<TResult>(RemoteFunc<TResult> method, CancellationToken cancellationToken = default) =>
        ApplyAsync(method, cancellationToken: cancellationToken).Get();

    /// <summary>Runs a void <paramref name="method"/> in a worker and waits for it to finish.</summary>
    public void Apply<TArgs>(RemoteAction<TArgs> method, TArgs args, CancellationToken cancellationToken = default) =>
        ApplyAsync(method, args, cancellationToken: cancellationToken).Get();

    /// <summary>Runs a void parameterless <paramref name="method"/> in a worker and waits for it to finish.</summary>
    public void Apply(RemoteAction method, CancellationToken cancellationToken = default) =>
        ApplyAsync(method, cancellationToken: cancellationToken).Get();

    /// <summary>Queues <paramref name="method"/> and returns at once (Python's <c>apply_async</c>).</summary>
    /// <param name="method">The generated handle.</param>
    /// <param name="args">The argument; for several parameters, one tuple.</param>
    /// <param name="callback">Runs with the value before the result becomes ready; if it throws, that becomes the result's error.</param>
    /// <param name="errorCallback">Runs with the error before the result becomes ready.</param>
    /// <param name="cancellationToken">Withdraws the call if queued, or signals the method's own token if running.</param>
    /// <exception cref="InvalidOperationException">The pool was closed or terminated.</exception>
    public AsyncResult<TResult> ApplyAsync<TArgs, TResult>(
        RemoteFunc<TArgs, TResult> method,
        TArgs args,
        Action<TResult>? callback = null,
        Action<Exception>? errorCallback = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        var result = new AsyncResult<TResult>(NewSource<TResult>(), callback, errorCallback);
        Submit(new CallTask<TArgs, TResult>(method, method.Call, args, result.Completion, cancellationToken));
        return result;
    }

    /// <summary>Queues a parameterless <paramref name="method"/> and returns at once.</summary>
    public AsyncResult<TResult> ApplyAsync<TResult>(
        RemoteFunc<TResult> method,
        Action<TResult>? callback = null,
        Action<Exception>? errorCallback = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        var result = new AsyncResult<TResult>(NewSource<TResult>(), callback, errorCallback);
        Submit(new CallTask<Unit, TResult>(method, method.Call, default, result.Completion, cancellationToken));
        return result;
    }

    /// <summary>Queues a void <paramref name="method"/> and returns at once.</summary>
    public AsyncResult ApplyAsync<TArgs>(
        RemoteAction<TArgs> method,
        TArgs args,
        Action? callback = null,
        Action<Exception>? errorCallback = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        var result = new AsyncResult(NewSource(), callback, errorCallback);
        Submit(new CallTask<TArgs, Unit>(method, method.Call, args, result.Completion!, cancellationToken));
        return result;
    }

    /// <summary>Queues a void parameterless <paramref name="method"/> and returns at once.</summary>
    public AsyncResult ApplyAsync(
        RemoteAction method,
        Action? callback = null,
        Action<Exception>? errorCallback = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        var result = new AsyncResult(NewSource(), callback, errorCallback);
        Submit(new CallTask<Unit, Unit>(method, method.Call, default, result.Completion!, cancellationToken));
        return result;
    }

    // Continuations never run inline on the thread that completes a result (a socket reader).
    private static TaskCompletionSource<T> NewSource<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using ParallelGen.Results;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>
/// The pending outcome of work submitted to a <see cref="ProcessPool"/> (Python's <c>AsyncResult</c>).
/// This non-generic form is returned for void methods; <see cref="AsyncResult{T}"/> adds the value.
/// Awaitable, and convertible to a <see cref="Task"/> with <see cref="AsTask"/>.
/// </summary>
public class AsyncResult
{
    private readonly Task _task;

    private protected AsyncResult(Task task)
    {
        _task = task;
    }

    internal AsyncResult(TaskCompletionSource source, Action? callback, Action<Exception>? errorCallback)
        : this(source.Task)
    {
        Completion = new ResultCompletion<Unit>(source, callback is null ? null : _ => callback(), errorCallback);
    }

    /// <summary>True once the work has finished, successfully or not.</summary>
    public bool Ready => _task.IsCompleted;

    /// <summary>True if the work finished without an exception.</summary>
    /// <exception cref="InvalidOperationException">The work has not finished yet (see <see cref="Ready"/>).</exception>
    public bool Successful => _task.IsCompleted
        ? _task.IsCompletedSuccessfully
        : throw new InvalidOperationException("The result is not ready yet: check Ready, or Wait() first.");

    internal ResultCompletion<Unit>? Completion { get; }

    /// <summary>Blocks until the work has finished. Does not throw the work's exception; <see cref="Get()"/> does.</summary>
    public void Wait() => Wait(Timeout.InfiniteTimeSpan);

    /// <summary>Blocks until the work has finished or <paramref name="timeout"/> has passed.</summary>
    /// <returns>True if the work has finished.</returns>
    public bool Wait(TimeSpan timeout)
    {
        if (_task.IsCompleted)
        {
            return true;
        }

        try
        {
            return _task.Wait(timeout);
        }
        catch (AggregateException)
        {
            return true; // finished with an error; Get() reports it.
        }
    }

    /// <summary>Blocks until the work has finished and rethrows its exception, if any.</summary>
    public void Get()
    {
        SpinBriefly(_task);
        _task.GetAwaiter().GetResult();
    }

    /// <summary>Blocks until the work has finished or <paramref name="timeout"/> has passed; rethrows its exception, if any.</summary>
    /// <exception cref="TimeoutException">The work did not finish in time; it keeps running.</exception>
    public void Get(TimeSpan timeout)
    {
        ThrowIfNotDone(timeout);
        _task.GetAwaiter().GetResult();
    }

    /// <summary>The work as a task.</summary>
    public Task AsTask() => _task;

    /// <summary>Makes the result awaitable.</summary>
    public TaskAwaiter GetAwaiter() => _task.GetAwaiter();

    /// <summary>Spins for at most a few tens of microseconds while <paramref name="task"/> is not done (<see cref="CallerSpin"/>).</summary>
    private protected static void SpinBriefly(Task task) => CallerSpin.While(task, static t => !t.IsCompleted);

    private protected void ThrowIfNotDone(TimeSpan timeout)
    {
        if (!Wait(timeout))
        {
            throw new TimeoutException($"The result was not ready within {timeout}; the work keeps running.");
        }
    }
}

/// <summary>
/// The pending value of work submitted to a <see cref="ProcessPool"/> (Python's <c>AsyncResult</c>).
/// </summary>
/// <typeparam name="T">The value's type.</typeparam>
public sealed class AsyncResult<T> : AsyncResult
{
    private readonly Task<T> _task;

    internal AsyncResult(TaskCompletionSource<T> source, Action<T>? callback, Action<Exception>? errorCallback)
        : base(source.Task)
    {
        _task = source.Task;
        Completion = new ResultCompletion<T>(source, callback, errorCallback);
    }

    internal new ResultCompletion<T> Completion { get; }

    /// <summary>Blocks until the work has finished and returns its value, or rethrows its exception.</summary>
    /// <exception cref="RemoteException">The method threw in the worker.</exception>
    /// <exception cref="WorkerCrashedException">The worker running it died.</exception>
    /// <exception cref="OperationCanceledException">The work was cancelled or the pool terminated.</exception>
    public new T Get()
    {
        SpinBriefly(_task);
        return _task.GetAwaiter().GetResult();
    }

    /// <summary>Like <see cref="Get()"/>, waiting at most <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">The work did not finish in time; it keeps running.</exception>
    public new T Get(TimeSpan timeout)
    {
        ThrowIfNotDone(timeout);
        return _task.GetAwaiter().GetResult();
    }

    /// <summary>The work as a task.</summary>
    public new Task<T> AsTask() => _task;

    /// <summary>Makes the result awaitable.</summary>
    public new TaskAwaiter<T> GetAwaiter() => _task.GetAwaiter();
}

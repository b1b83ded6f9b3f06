using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using ParallelGen.Backends.Process;
using ParallelGen.Pool;
using ParallelGen.Scheduling;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>
/// One call in a dedicated new process (Python's <c>multiprocessing.Process</c>). When the call ends the process
/// ends like any .NET program: once the foreground threads the call started have finished, with code 0 after
/// success, 1 after an exception (as Python does), or with whatever code the method passed to <c>Environment.Exit</c>.
/// </summary>
public class WorkerProcess
{
    private readonly Process _process;

    private protected WorkerProcess(Launched launched, AsyncResult result)
    {
        _process = launched.Process;
        Result = result;
        Id = _process.Id;
        // When the call ends, let the worker go, with Python's exit code for the outcome.
        result.AsTask().ContinueWith(
            static (task, state) => ((Scheduler)state!).Close(task.IsCompletedSuccessfully ? 0 : 1),
            launched.Scheduler,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>The process id.</summary>
    public int Id { get; }

    /// <summary>True while the process runs.</summary>
    public bool IsAlive => !_process.HasExited;

    /// <summary>The exit code, or null while the process runs.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>The call's outcome.</summary>
    public AsyncResult Result { get; }

    /// <summary>Starts <paramref name="method"/> in a new process.</summary>
    public static WorkerProcess<TResult> Start<TArgs, TResult>(RemoteFunc<TArgs, TResult> method, TArgs args)
    {
        ArgumentNullException.ThrowIfNull(method);
        return Launch(launched => new WorkerProcess<TResult>(launched, completion => new CallTask<TArgs, TResult>(method, method.Call, args, completion, CancellationToken.None)));
    }

    /// <summary>Starts a parameterless <paramref name="method"/> in a new process.</summary>
    public static WorkerProcess<TResult> Start<TResult>(RemoteFunc<TResult> method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return Launch(launched => new WorkerProcess<TResult>(launched, completion => new CallTask<Unit, TResult>(method, method.Call, default, completion, CancellationToken.None)));
    }

    /// <summary>Starts a void <paramref name="method"/> in a new process.</summary>
    public static WorkerProcess Start<TArgs>(RemoteAction<TArgs> method, TArgs args)
    {
        ArgumentNullException.ThrowIfNull(method);
        return Launch(launched => CreateVoid(launched, completion => new CallTask<TArgs, Unit>(method, method.Call, args, completion, CancellationToken.None)));
    }

    /// <summary>Starts a void parameterless <paramref name="method"/> in a new process.</summary>
    public static WorkerProcess Start(RemoteAction method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return Launch(launched => CreateVoid(launched, completion => new CallTask<Unit, Unit>(method, method.Call, default, completion, CancellationToken.None)));
    }

    /// <summary>Waits for the process to exit.</summary>
    public void Join() => _process.WaitForExit();

    /// <summary>Waits at most <paramref name="timeout"/> for the process to exit.</summary>
    /// <returns>True if it exited.</returns>
    public bool Join(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>Kills the process now; an unfinished <see cref="Result"/> fails with <see cref="WorkerCrashedException"/>.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static T Launch<T>(Func<Launched, T> create)
        where T : WorkerProcess
    {
        Hosting.UnhookedWorkerGuard.ExitIfUnhookedWorker();
        System.Diagnostics.Process? process = null;
        var backend = new ProcessPoolBackend(launched: started => process = started);
        var scheduler = new Scheduler(new ProcessPoolOptions { Processes = 1, ReplaceWorkers = false }, backend);
        if (process is null)
        {
            scheduler.Terminate();
            throw scheduler.StartFailure ?? new WorkerStartException("The worker process could not be started.");
        }

        try
        {
            return create(new Launched(scheduler, process));
        }
        catch
        {
            // The arguments could not be encoded (or the call not submitted): the process started for it must go too.
            scheduler.Terminate();
            throw;
        }
    }

    private static WorkerProcess CreateVoid(Launched launched, Func<ResultCompletion<Unit>, PoolTask> createTask)
    {
        var result = new AsyncResult(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null, null);
        PoolTask task = createTask(result.Completion!);
        var process = new WorkerProcess(launched, result);
        launched.Scheduler.Submit(new ReadOnlySpan<PoolTask>(in task));
        return process;
    }

    private protected static void Submit(Launched launched, PoolTask task) => launched.Scheduler.Submit(new ReadOnlySpan<PoolTask>(in task));

    /// <summary>A one-worker scheduler over the process backend, and the process it started.</summary>
    internal sealed record Launched(Scheduler Scheduler, System.Diagnostics.Process Process);
}

/// <summary>A <see cref="WorkerProcess"/> whose method returns a value.</summary>
/// <typeparam name="TResult">The method's result type.</typeparam>
public sealed class WorkerProcess<TResult> : WorkerProcess
{
    internal WorkerProcess(Launched launched, Func<ResultCompletion<TResult>, PoolTask> createTask)
        : this(launched, new AsyncResult<TResult>(new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously), null, null), createTask)
    {
    }

    private WorkerProcess(Launched launched, AsyncResult<TResult> result, Func<ResultCompletion<TResult>, PoolTask> createTask)
        : base(launched, result)
    {
        Result = result;
        Submit(launched, createTask(result.Completion));
    }

    /// <summary>The call's outcome.</summary>
    public new AsyncResult<TResult> Result { get; }
}

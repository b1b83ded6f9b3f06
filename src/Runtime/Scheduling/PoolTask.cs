using System;
using System.Threading;
using ParallelGen.Backends;
using ParallelGen.Telemetry;

namespace ParallelGen.Scheduling;

/// <summary>
/// One unit of work for a worker: a single call, or a chunk of a map. It owns its encoded call (built once at
/// submission, so it can be sent again after a lost worker) and is completed exactly once. The members marked
/// "scheduler" are the scheduler's bookkeeping, guarded by its lock.
/// </summary>
internal abstract class PoolTask
{
    private const int Queued = 0;
    private const int Sent = 1;
    private const int Done = 2;

    private static long s_nextCallId;
    private int _state;
    private CancellationTokenRegistration _registration;
    private Action<PoolTask>? _cancel;
    private EncodedCall? _call;

    protected PoolTask(RemoteMethod method)
    {
        Method = method;
        CallId = Interlocked.Increment(ref s_nextCallId);
    }

    public RemoteMethod Method { get; }

    public long CallId { get; }

    /// <summary>The caller asked to cancel after the task was sent; its outcome becomes a cancellation.</summary>
    public bool CancelRequested { get; private set; }

    public CancellationToken CancellationToken { get; protected init; }

    public bool IsDone => Volatile.Read(ref _state) == Done;

    public bool IsSent => Volatile.Read(ref _state) == Sent;

    /// <summary>The encoded call; set once by the subclass's constructor.</summary>
    public EncodedCall Call
    {
        get => _call!;
        protected init => _call = value;
    }

    public virtual string Description => Method.Signature;

    /// <summary>Scheduler: asked back from a busy worker for an idle one (see <see cref="IWorker.Withdraw"/>).</summary>
    public bool Withdrawing { get; set; }

    /// <summary>Scheduler: times this task was run again after its worker was lost.</summary>
    public int Retries { get; set; }

    /// <summary>Scheduler: a worker's initializer, bound to that worker, never queued or retried elsewhere.</summary>
    public bool IsInitializer { get; set; }

    /// <summary>Scheduler: the worker the task was last sent to.</summary>
    internal WorkerState? Worker { get; set; }

    public bool TryMarkSent() => Interlocked.CompareExchange(ref _state, Sent, Queued) == Queued;

    /// <summary>Fails the task only if no worker has it yet.</summary>
    public bool TryFailQueued(Exception error)
    {
        if (Interlocked.CompareExchange(ref _state, Done, Queued) != Queued)
        {
            return false;
        }

        _registration.Unregister();

        ReleaseCall();
        PoolMetrics.Completed(OutcomeOf(error));
        OnFailed(error);
        return true;
    }

    /// <summary>Releases the encoded call (see <see cref="EncodedCall.Release"/>).</summary>
    public void ReleaseCall() => _call?.Release();

    /// <summary>Puts a sent task back in the queue (its worker died before starting it).</summary>
    public bool TryMarkQueued() => Interlocked.CompareExchange(ref _state, Queued, Sent) == Sent;

    public void RequestCancel() => CancelRequested = true;

    /// <summary>Completes with the worker's encoded results.</summary>
    public void Succeed(ReadOnlySpan<byte> results)
    {
        if (!TryFinish())
        {
            return;
        }

        if (CancelRequested)
        {
            PoolMetrics.Completed("cancelled");
            OnFailed(new OperationCanceledException(CancellationToken));
            return;
        }

        PoolMetrics.Completed("success");
        try
        {
            OnSucceeded(results);
        }
        catch (Exception decodeError)
        {
            OnFailed(decodeError);
        }
    }

    public void Fail(Exception error)
    {
        if (TryFinish())
        {
            Exception outcome = CancelRequested && error is not PoolTerminatedException ? new OperationCanceledException(CancellationToken) : error;
            PoolMetrics.Completed(OutcomeOf(outcome));
            OnFailed(outcome);
        }
    }

    private static string OutcomeOf(Exception error) => error switch
    {
        PoolTerminatedException => "terminated",
        OperationCanceledException => "cancelled",
        WorkerCrashedException => "crash",
        TimeoutException => "timeout",
        _ => "error",
    };

    protected abstract void OnSucceeded(ReadOnlySpan<byte> results);

    protected abstract void OnFailed(Exception error);

    /// <summary>Lets the caller's token withdraw or cancel this task until it finishes.</summary>
    public void RegisterCancellation(Action<PoolTask> cancel)
    {
        if (!CancellationToken.CanBeCanceled || IsDone)
        {
            return;
        }

        _cancel = cancel; // kept here rather than boxed with the task into the registration's state
        _registration = CancellationToken.UnsafeRegister(
            static state =>
            {
                var task = (PoolTask)state!;
                task._cancel!(task);
            },
            this);
        if (IsDone)
        {
            _registration.Unregister();
        }
    }

    private bool TryFinish()
    {
        if (Interlocked.Exchange(ref _state, Done) == Done)
        {
            return false;
        }

        _registration.Unregister();
        return true;
    }
}

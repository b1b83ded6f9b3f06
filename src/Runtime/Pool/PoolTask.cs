using System;
using System.Diagnostics;
using System.Text;
using System.Threading;
using ParallelGen.Serialization;
using ParallelGen.Telemetry;
using ParallelGen.Transport;

namespace ParallelGen.Pool;

/// <summary>
/// One unit of work for a worker: a single call, or a chunk of a map. It owns its fully encoded Invoke frame
/// (built once at submission, so it can be sent again after a crash) and is completed exactly once.
/// </summary>
internal abstract class PoolTask
{
    private const int Queued = 0;
    private const int Sent = 1;
    private const int Done = 2;

    private static long s_nextCallId;
    private int _state;
    private CancellationTokenRegistration _registration;
    private PayloadBuffer? _frame;

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

    /// <summary>The encoded Invoke frame; empty once released.</summary>
    public ReadOnlySpan<byte> Frame => Volatile.Read(ref _frame) is { } frame ? frame.WrittenSpan : default;

    public virtual string Description => Method.Signature;

    /// <summary>Starts the frame: reserves the header, the method id and the argument-set count.</summary>
    protected static PayloadBuffer BeginFrame(int sizeHint)
    {
        var frame = new PayloadBuffer(FrameHeader.Size + 12 + sizeHint);
        frame.Reserve(FrameHeader.Size + 12);
        return frame;
    }

    /// <summary>
    /// Finishes the frame once the arguments are written. If the caller runs inside a W3C trace
    /// (<see cref="Activity.Current"/>), its traceparent rides along so the worker's work joins that trace.
    /// </summary>
    protected void EndFrame(PayloadBuffer frame, int count)
    {
        FrameKind kind = FrameKind.Invoke;
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { Length: <= byte.MaxValue } traceParent })
        {
            int length = Encoding.ASCII.GetBytes(traceParent, frame.GetSpan(traceParent.Length + 1));
            frame.GetSpan(length + 1)[length] = (byte)length;
            frame.Advance(length + 1);
            kind = FrameKind.InvokeTraced;
        }

        Span<byte> bytes = frame.WrittenSpanMutable;
        FrameHeader.Write(bytes, bytes.Length - FrameHeader.Size, kind, CallId);
        InvokePayload.WritePrefix(bytes[FrameHeader.Size..], Method.Info.Id, count);
        _frame = frame;
    }

    /// <summary>Asked back from a busy worker for an idle one (see <see cref="FrameKind.Withdraw"/>).</summary>
    public bool Withdrawing { get; set; }

    /// <summary>Times this task was run again after its worker crashed.</summary>
    public int Retries { get; set; }

    /// <summary>A worker's initializer: bound to that worker, never queued or retried elsewhere.</summary>
    public bool IsInitializer { get; set; }

    /// <summary>The worker the task was last sent to.</summary>
    public WorkerSlot? Worker { get; set; }

    public bool TryMarkSent() => Interlocked.CompareExchange(ref _state, Sent, Queued) == Queued;

    /// <summary>Fails the task only if no worker has it yet.</summary>
    public bool TryFailQueued(Exception error)
    {
        if (Interlocked.CompareExchange(ref _state, Done, Queued) != Queued)
        {
            return false;
        }

        _registration.Unregister();

        ReleaseFrame();
        PoolMetrics.Completed(OutcomeOf(error));
        OnFailed(error);
        return true;
    }

    /// <summary>
    /// Returns the frame's buffer to the pool. Only called where no send of it can be in progress (its result
    /// arrived, or it never left the queue); elsewhere the garbage collector takes it.
    /// </summary>
    public void ReleaseFrame()
    {
        PayloadBuffer? frame = Interlocked.Exchange(ref _frame, null);
        frame?.Dispose();
    }

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

        _registration = CancellationToken.UnsafeRegister(
            static state =>
            {
                var (cancel, task) = ((Action<PoolTask>, PoolTask))state!;
                cancel(task);
            },
            (cancel, this));
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

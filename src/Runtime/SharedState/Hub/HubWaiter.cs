using System;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelGen.SharedState.Hub;

/// <summary>
/// One request waiting for its answer in the hub: answered at once, or parked in an object's wait list until the
/// object can answer, its timeout runs out, or it is cancelled. Exactly one answer is ever delivered.
/// </summary>
internal abstract class HubWaiter
{
    private int _completed;
    private Timer? _timer;
    private Action<HubWaiter, HubStatus>? _expire;

    protected HubWaiter(HubSession? session)
    {
        Session = session;
    }

    /// <summary>The connection that asked, or null when the request comes from the owner's own process.</summary>
    public HubSession? Session { get; }

    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    /// <summary>Delivers the answer unless one was delivered already.</summary>
    public bool TryComplete(HubStatus status, byte[]? payload = null)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        _timer?.Dispose();
        Deliver(new HubReply(status, payload ?? HubReply.Empty));
        return true;
    }

    /// <summary>
    /// Called by an object, under its lock, when the waiter joins its wait list. <paramref name="expire"/> must take the
    /// waiter off that list under the same lock and complete it with the given status (timeout, cancellation).
    /// </summary>
    public void Park(int timeoutMs, Action<HubWaiter, HubStatus> expire)
    {
        _expire = expire;
        if (timeoutMs >= 0)
        {
            _timer = new Timer(static state => ((HubWaiter)state!).Expire(HubStatus.Timeout), this, timeoutMs, Timeout.Infinite);
        }
    }

    /// <summary>Withdraws a parked waiter (its timeout, a cancellation, its connection closing).</summary>
    public void Expire(HubStatus status)
    {
        if (_expire is { } expire)
        {
            expire(this, status);
        }
        else
        {
            TryComplete(status);
        }
    }

    protected abstract void Deliver(HubReply reply);
}

/// <summary>A request from the owner's own process: the answer completes a task.</summary>
internal sealed class LocalWaiter : HubWaiter
{
    private readonly TaskCompletionSource<HubReply> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LocalWaiter()
        : base(null)
    {
    }

    public Task<HubReply> Reply => _reply.Task;

    protected override void Deliver(HubReply reply) => _reply.TrySetResult(reply);
}

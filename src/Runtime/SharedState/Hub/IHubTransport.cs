using System;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelGen.SharedState.Hub;

/// <summary>How requests reach a hub: directly in the hub's own process, over a connection from any other.</summary>
internal interface IHubTransport
{
    /// <summary>
    /// Sends one request; the task completes with the hub's answer (or <see cref="HubStatus.ConnectionLost"/>). Cancelling
    /// withdraws a parked request; an answer already on its way is still returned.
    /// </summary>
    Task<HubReply> CallAsync(long objectId, byte op, int timeoutMs, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}

/// <summary>The hub's own process: a request runs the object's handler on the calling thread.</summary>
internal sealed class LocalHubTransport : IHubTransport
{
    private readonly SharedStateHub _hub;

    public LocalHubTransport(SharedStateHub hub)
    {
        _hub = hub;
    }

    public Task<HubReply> CallAsync(long objectId, byte op, int timeoutMs, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var waiter = new LocalWaiter();
        if (_hub.TryGet(objectId, out HubObject? target))
        {
            target.Handle(op, payload.Span, timeoutMs, waiter);
        }
        else
        {
            waiter.TryComplete(HubStatus.Disposed);
        }

        if (cancellationToken.CanBeCanceled && !waiter.IsCompleted)
        {
            CancellationTokenRegistration registration = cancellationToken.Register(static state => ((HubWaiter)state!).Expire(HubStatus.Cancelled), waiter);
            waiter.Reply.ContinueWith(static (_, state) => ((CancellationTokenRegistration)state!).Dispose(), registration, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return waiter.Reply;
    }
}

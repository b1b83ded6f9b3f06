using System;
using System.Collections.Generic;
using ParallelGen.SharedState.Hub;

namespace ParallelGen.SharedState.Pipes;

/// <summary>
/// One end of a pipe, in the hub: the items sent to it (encoded, in order) and who owns it. The two ends share one
/// lock. An end passed to a worker belongs to that worker's connection once the worker decodes it: when the
/// connection closes, the end closes, and the other end receives what was sent and then end-of-stream.
/// </summary>
internal sealed class PipeEnd : HubObject
{
    public const byte Send = 1;
    public const byte Receive = 2;
    public const byte Poll = 3;
    public const byte Close = 4;
    public const byte Claim = 5;
    public const byte Transfer = 6;

    private readonly Queue<byte[]> _inbox = new();
    private readonly HashSet<HubWaiter> _polls = [];
    private PipeEnd _peer = null!;
    private bool _closed;
    private HubSession? _owner;
    private bool _transferred;

    private PipeEnd(SharedStateHub hub, object gate)
        : base(hub, gate)
    {
    }

    public static (PipeEnd First, PipeEnd Second) CreatePair(SharedStateHub hub)
    {
        var gate = new object();
        var first = new PipeEnd(hub, gate);
        var second = new PipeEnd(hub, gate) { _peer = first };
        first._peer = second;
        return (first, second);
    }

    protected override void HandleLocked(byte op, ReadOnlySpan<byte> payload, int timeoutMs, HubWaiter waiter)
    {
        switch (op)
        {
            case Send when _closed:
                waiter.TryComplete(HubStatus.Disposed);
                break;
            case Send when _peer._closed:
                waiter.TryComplete(HubStatus.PeerClosed);
                break;
            case Send:
                _peer.Deliver(payload.ToArray());
                waiter.TryComplete(HubStatus.Ok);
                break;
            case Receive or Poll when _closed:
                waiter.TryComplete(HubStatus.Disposed);
                break;
            case Receive when _inbox.Count > 0:
                waiter.TryComplete(HubStatus.Ok, _inbox.Dequeue());
                break;
            case Poll when _inbox.Count > 0 || _peer._closed:
                waiter.TryComplete(HubStatus.Ok);
                break;
            case Receive when _peer._closed:
                waiter.TryComplete(HubStatus.EndOfStream);
                break;
            case Receive or Poll:
                if (op == Poll && timeoutMs != 0)
                {
                    _polls.Add(waiter);
                }

                Park(waiter, timeoutMs);
                break;
            case Close:
                // Only the owner's close ends the conversation; any other handle (the caller's copy of an end it
                // passed on, as in Python's recipe) just lets go.
                if (waiter.Session == _owner && !_transferred)
                {
                    CloseLocked();
                }

                waiter.TryComplete(HubStatus.Ok);
                break;
            case Claim:
                _owner = waiter.Session;
                _transferred = false;
                waiter.TryComplete(HubStatus.Ok);
                break;
            case Transfer:
                _transferred = _owner is null;
                waiter.TryComplete(HubStatus.Ok);
                break;
            default:
                waiter.TryComplete(HubStatus.Error, SharedStateErrors.Text($"Unknown pipe operation {op}."));
                break;
        }
    }

    protected override void OnWithdrawnLocked(HubWaiter waiter) => _polls.Remove(waiter);

    protected override void OnSessionClosedLocked(HubSession session)
    {
        if (_owner == session)
        {
            CloseLocked();
        }
    }

    protected override void OnDisposedLocked()
    {
        _polls.Clear();
        CloseLocked();
    }

    /// <summary>An item from the other end: a poller wakes, the first waiting receiver takes it, or it waits in the inbox.</summary>
    private void Deliver(byte[] item)
    {
        WakePolls();
        if (!CompleteFirst(HubStatus.Ok, item, out _))
        {
            _inbox.Enqueue(item);
        }
    }

    private void WakePolls()
    {
        for (int i = Waiters.Count - 1; i >= 0; i--)
        {
            HubWaiter waiter = Waiters[i];
            if (_polls.Remove(waiter))
            {
                Waiters.RemoveAt(i);
                waiter.TryComplete(HubStatus.Ok);
            }
        }
    }

    private void CloseLocked()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _inbox.Clear();
        foreach (HubWaiter waiter in Waiters)
        {
            waiter.TryComplete(HubStatus.Disposed);
        }

        Waiters.Clear();
        _polls.Clear();

        // The other end's readers: nothing is waiting in its inbox (or they would not wait), so this is the end.
        _peer.WakePolls();
        while (_peer.CompleteFirst(HubStatus.EndOfStream, null, out _))
        {
        }

        if (_peer._closed)
        {
            // Both ends closed: nobody can use the pipe any more, and requests for it are answered as disposed.
            Hub.Remove(Id);
            Hub.Remove(_peer.Id);
        }
    }
}

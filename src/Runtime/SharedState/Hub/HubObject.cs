using System;
using System.Collections.Generic;

namespace ParallelGen.SharedState.Hub;

/// <summary>
/// The state of one shared object, kept in the process that created it and changed only under its lock: that is
/// what makes each operation atomic across processes. Requests from this process and from workers' connections run
/// the same <see cref="Handle"/>.
/// </summary>
internal abstract class HubObject
{
    private bool _disposed;

    protected HubObject(SharedStateHub hub, object? gate = null)
    {
        Hub = hub;
        Gate = gate ?? new object();
        Id = hub.Add(this);
    }

    public SharedStateHub Hub { get; }

    public long Id { get; }

    /// <summary>The public object this state belongs to: what a call decoded in this same process gets back.</summary>
    public object? Owner { get; set; }

    protected object Gate { get; }

    /// <summary>Requests parked until this object can answer them.</summary>
    protected List<HubWaiter> Waiters { get; } = [];

    /// <summary>Answers (or parks) one request. Runs under no lock; implementations take <see cref="Gate"/>.</summary>
    public void Handle(byte op, ReadOnlySpan<byte> payload, int timeoutMs, HubWaiter waiter)
    {
        try
        {
            lock (Gate)
            {
                if (_disposed)
                {
                    waiter.TryComplete(HubStatus.Disposed);
                    return;
                }

                HandleLocked(op, payload, timeoutMs, waiter);
            }
        }
        catch (Exception exception)
        {
            // A request this object cannot decode (a bug or a mismatched build): the asker gets the message.
            waiter.TryComplete(HubStatus.Error, System.Text.Encoding.UTF8.GetBytes(exception.Message));
        }
    }

    /// <summary>The connection <paramref name="session"/> closed: its process exited or was killed.</summary>
    public void OnSessionClosed(HubSession session)
    {
        lock (Gate)
        {
            for (int i = Waiters.Count - 1; i >= 0; i--)
            {
                HubWaiter waiter = Waiters[i];
                if (waiter.Session == session)
                {
                    Waiters.RemoveAt(i);
                    waiter.TryComplete(HubStatus.ConnectionLost);
                    OnWithdrawnLocked(waiter);
                }
            }

            OnSessionClosedLocked(session);
        }
    }

    /// <summary>Disposes the object: waiters get <see cref="HubStatus.Disposed"/>, later requests too.</summary>
    public void Dispose()
    {
        lock (Gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (HubWaiter waiter in Waiters)
            {
                waiter.TryComplete(HubStatus.Disposed);
            }

            Waiters.Clear();
            OnDisposedLocked();
        }

        Hub.Remove(Id);
    }

    protected bool IsDisposed => _disposed;

    protected abstract void HandleLocked(byte op, ReadOnlySpan<byte> payload, int timeoutMs, HubWaiter waiter);

    protected virtual void OnSessionClosedLocked(HubSession session)
    {
    }

    protected virtual void OnDisposedLocked()
    {
    }

    /// <summary>Parks <paramref name="waiter"/> in <see cref="Waiters"/>; a timeout of 0 answers <see cref="HubStatus.Timeout"/> at once.</summary>
    protected void Park(HubWaiter waiter, int timeoutMs)
    {
        if (timeoutMs == 0)
        {
            waiter.TryComplete(HubStatus.Timeout);
            return;
        }

        Waiters.Add(waiter);
        waiter.Park(timeoutMs, Withdraw);
    }

    /// <summary>Takes a parked waiter off the list (timeout, cancellation) and answers it with <paramref name="status"/>.</summary>
    private void Withdraw(HubWaiter waiter, HubStatus status)
    {
        lock (Gate)
        {
            if (Waiters.Remove(waiter))
            {
                waiter.TryComplete(status);
                OnWithdrawnLocked(waiter);
            }
        }
    }

    /// <summary>A parked waiter left without being answered by the object (timeout, cancellation, its process died).</summary>
    protected virtual void OnWithdrawnLocked(HubWaiter waiter)
    {
    }

    /// <summary>Answers the first parked waiter that is still waiting; false when none is.</summary>
    protected bool CompleteFirst(HubStatus status, byte[]? payload, out HubWaiter? answered)
    {
        while (Waiters.Count > 0)
        {
            HubWaiter waiter = Waiters[0];
            Waiters.RemoveAt(0);
            if (waiter.TryComplete(status, payload))
            {
                answered = waiter;
                return true;
            }
        }

        answered = null;
        return false;
    }

    protected static byte[] Bool(bool value) => [value ? (byte)1 : (byte)0];
}

using System;
using System.Diagnostics;
using System.Threading;

namespace ParallelGen.Hosting;

/// <summary>
/// A one-shot timer with a thread of its own, started the first time it is armed; the callback runs on that thread.
/// A worker uses it instead of <see cref="Timer"/> because the first <see cref="Timer"/> starts the runtime's timer
/// thread and every callback starts the thread pool (its workers and gate thread): three or four threads and the
/// pool's code kept resident in every idle worker whose calls never needed a pool thread.
/// </summary>
internal sealed class DedicatedTimer : IDisposable
{
    private const long Disarmed = long.MaxValue;

    private readonly Action _callback;
    private readonly string _threadName;
    private readonly object _gate = new();
    private long _deadline = Disarmed; // Stopwatch timestamp; written under _gate
    private long _wakesAt = Disarmed; // when the thread wakes by itself (Disarmed: only when pulsed); under _gate
    private bool _disposed;
    private Thread? _thread;

    public DedicatedTimer(string threadName, Action callback)
    {
        _threadName = threadName;
        _callback = callback;
    }

    /// <summary>Whether the timer's thread was started (it is, on the first arming before disposal).</summary>
    internal bool HasThread
    {
        get
        {
            lock (_gate)
            {
                return _thread is not null;
            }
        }
    }

    /// <summary>Runs the callback once, <paramref name="due"/> from now, replacing any earlier deadline.</summary>
    public void Arm(TimeSpan due)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _deadline = Stopwatch.GetTimestamp() + (long)(due.TotalSeconds * Stopwatch.Frequency);
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = _threadName };
                _thread.Start();
            }
            else if (_deadline < _wakesAt)
            {
                // Woken only when it would otherwise sleep past the deadline: a worker arms and disarms its answer
                // deadline for every batch of answers, and a wake-up per batch costs a context switch each time.
                Monitor.Pulse(_gate);
            }
        }
    }

    /// <summary>Forgets the deadline, if any. A callback already running finishes.</summary>
    public void Disarm()
    {
        lock (_gate)
        {
            // No pulse: a thread waiting for the old deadline wakes then, finds none, and waits again.
            _deadline = Disarmed;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            Monitor.Pulse(_gate);
        }
    }

    private void Run()
    {
        while (WaitForDeadline())
        {
            _callback();
        }
    }

    /// <returns>True when the deadline passed; false once disposed.</returns>
    private bool WaitForDeadline()
    {
        lock (_gate)
        {
            while (!_disposed)
            {
                if (_deadline == Disarmed)
                {
                    _wakesAt = Disarmed;
                    Monitor.Wait(_gate);
                    continue;
                }

                long remaining = _deadline - Stopwatch.GetTimestamp();
                if (remaining <= 0)
                {
                    _deadline = Disarmed;
                    _wakesAt = Disarmed; // busy with the callback: the next arming finds the deadline when it is done
                    return true;
                }

                // Monitor.Wait counts whole milliseconds: round up, so the callback never runs early.
                _wakesAt = _deadline;
                long milliseconds = (remaining * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency;
                Monitor.Wait(_gate, (int)Math.Min(milliseconds, int.MaxValue));
            }

            return false;
        }
    }
}

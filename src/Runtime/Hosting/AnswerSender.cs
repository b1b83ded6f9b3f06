using System;
using ParallelGen.Serialization;
using ParallelGen.Transport;

namespace ParallelGen.Hosting;

/// <summary>
/// Sends a worker's answers. While more calls are queued behind the one just answered, a small answer waits in one
/// buffer and leaves with the next ones in a single <c>send</c> (one system call and one wake-up of the parent's
/// reader for many answers). It waits at most <see cref="MaxDeferral"/>: a long call that follows must not hold it.
/// </summary>
internal sealed class AnswerSender : IDisposable
{
    /// <summary>Answers up to this size (header included) may wait to be sent together.</summary>
    private const int DeferredFrameBytes = 16 * 1024;

    /// <summary>Waiting answers are sent once they fill this much.</summary>
    private const int DeferredBufferBytes = 64 * 1024;

    /// <summary>
    /// Waiting answers are sent once there are this many, so the parent refills the worker's queue while it still
    /// has calls to run, instead of after it ran dry.
    /// </summary>
    private const int DeferredFrames = 8;

    private static readonly TimeSpan MaxDeferral = TimeSpan.FromMilliseconds(1);

    private readonly FrameSender _sender;
    private readonly DedicatedTimer _timer;
    private readonly PayloadBuffer _deferred = new(DeferredBufferBytes);
    private int _deferredFrames;

    public AnswerSender(FrameSender sender)
    {
        _sender = sender;
        _timer = new DedicatedTimer("ParallelGen worker answers", FlushOnTimer);
    }

    /// <summary>
    /// Sends a complete frame, or keeps a small one for the next send when <paramref name="moreQueued"/> says another
    /// call is about to run. Frames already waiting always leave first.
    /// </summary>
    public void Send(ReadOnlySpan<byte> frame, bool moreQueued)
    {
        lock (_sender.SyncRoot)
        {
            bool small = frame.Length <= DeferredFrameBytes;
            if (small)
            {
                bool wasEmpty = _deferred.WrittenCount == 0;
                _deferred.Write(frame);
                _deferredFrames++;
                if (moreQueued && _deferred.WrittenCount < DeferredBufferBytes && _deferredFrames < DeferredFrames)
                {
                    if (wasEmpty)
                    {
                        _timer.Arm(MaxDeferral);
                    }

                    return;
                }

                FlushUnlocked();
                return;
            }

            FlushUnlocked();
            _sender.SendFrame(frame);
        }
    }

    /// <summary>Builds and sends a frame from a header and a small payload, after any waiting answers.</summary>
    public void Send(FrameKind kind, long id, ReadOnlySpan<byte> payload)
    {
        lock (_sender.SyncRoot)
        {
            FlushUnlocked();
            _sender.Send(kind, id, payload);
        }
    }

    /// <summary>Sends the answers that wait, if any.</summary>
    public void FlushDeferred()
    {
        lock (_sender.SyncRoot)
        {
            FlushUnlocked();
        }
    }

    public void Dispose() => _timer.Dispose();

    private void FlushOnTimer()
    {
        try
        {
            FlushDeferred();
        }
        catch (Exception exception) when (exception is ObjectDisposedException || SocketErrors.IsSocketError(exception))
        {
            // The parent is gone: the reader sees the end of the stream and exits the process.
        }
    }

    private void FlushUnlocked()
    {
        if (_deferred.WrittenCount == 0)
        {
            return;
        }

        _timer.Disarm();
        try
        {
            _sender.SendFrame(_deferred.WrittenSpan);
        }
        finally
        {
            _deferred.Clear();
            _deferredFrames = 0;
        }
    }
}

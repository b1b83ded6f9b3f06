using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ParallelGen.Channels;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen.Backends.InProcess;

/// <summary>
/// One logical worker on the thread pool: runs the calls it is sent one at a time, in order, decoding and encoding
/// exactly as a worker process does, and answers each through the scheduler's events. <see cref="Stop"/> cancels
/// the running call's token and reports the worker lost at once; the call's thread cannot be killed, so whatever
/// it still returns is discarded.
/// </summary>
internal sealed class InProcessWorker : IWorker
{
    private readonly object _lock = new();
    private readonly LinkedList<(long Id, EncodedCall Call)> _queue = new();
    private readonly HashSet<long> _cancelledBeforeStart = new();
    private readonly int _maxMessageBytes;
    private readonly IWorkerEvents _events;
    private readonly Action<InProcessWorker> _gone;
    private long _runningId = -1;
    private CancellationTokenSource? _running;
    private bool _looping;
    private bool _retiring;
    private bool _lost;

    public InProcessWorker(int maxMessageBytes, IWorkerEvents events, Action<InProcessWorker> gone)
    {
        _maxMessageBytes = maxMessageBytes;
        _events = events;
        _gone = gone;
    }

    public int? ProcessId => Environment.ProcessId;

    /// <summary>Calls share this process's memory: there is nothing of the worker's own to measure.</summary>
    public long? MeasureResidentBytes() => null;

    public bool TrySend(long callId, EncodedCall call)
    {
        lock (_lock)
        {
            if (_lost)
            {
                return false;
            }

            _queue.AddLast((callId, call));
            if (!_looping)
            {
                _looping = true;
                _ = Task.Run(RunAsync);
            }

            return true;
        }
    }

    public void Cancel(long callId)
    {
        lock (_lock)
        {
            if (_runningId == callId)
            {
                _running?.Cancel();
            }
            else
            {
                _cancelledBeforeStart.Add(callId);
            }
        }
    }

    public void Withdraw(long callId)
    {
        bool withdrawn = false;
        lock (_lock)
        {
            for (LinkedListNode<(long Id, EncodedCall Call)>? node = _queue.First; node is not null; node = node.Next)
            {
                if (node.Value.Id == callId)
                {
                    _queue.Remove(node);
                    withdrawn = true;
                    break;
                }
            }
        }

        if (withdrawn)
        {
            _events.OnWithdrawn(this, callId);
        }
    }

    public void Retire(int exitCode)
    {
        bool idle;
        lock (_lock)
        {
            _retiring = true;
            idle = !_looping;
        }

        if (idle)
        {
            Lose();
        }
    }

    public void Stop() => Lose(cancelRunning: true);

    /// <summary>Drops everything without reporting (the pool was terminated).</summary>
    public void Abandon()
    {
        lock (_lock)
        {
            _lost = true;
            _queue.Clear();
            _running?.Cancel();
        }
    }

    /// <summary>
    /// Marks the worker lost (so nothing the running call still returns is reported), optionally cancels that
    /// call's token, and reports the loss once.
    /// </summary>
    private void Lose(bool cancelRunning = false)
    {
        CancellationTokenSource? running;
        lock (_lock)
        {
            if (_lost)
            {
                return;
            }

            _lost = true;
            _queue.Clear();
            running = _running;
        }

        if (cancelRunning)
        {
            try
            {
                running?.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The call ended meanwhile.
            }
        }

        _events.OnLost(this, new WorkerExit(null, null));
        _gone(this);
    }

    private async Task RunAsync()
    {
        while (true)
        {
            long callId;
            EncodedCall call;
            bool skipped;
            CancellationTokenSource cancellation;
            lock (_lock)
            {
                if (_lost || _queue.First is not { } next)
                {
                    _looping = false;
                    if (_retiring && !_lost)
                    {
                        break;
                    }

                    return;
                }

                _queue.RemoveFirst();
                (callId, call) = next.Value;
                skipped = _cancelledBeforeStart.Remove(callId);
                _runningId = callId;
                _running = cancellation = new CancellationTokenSource();
            }

            try
            {
                if (skipped)
                {
                    Fail(callId, new OperationCanceledException("The call was cancelled before it started."));
                }
                else
                {
                    await RunOneAsync(callId, call, cancellation.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                lock (_lock)
                {
                    _runningId = -1;
                    _running = null;
                }

                cancellation.Dispose();
            }
        }

        Lose(); // retired and idle
    }

    private async Task RunOneAsync(long callId, EncodedCall call, CancellationToken cancellationToken)
    {
        using var results = new PayloadBuffer(256);
        try
        {
            // A copy: the caller's buffer may be released (cancelled, terminated) while the call still runs.
            InvokePayload invoke = InvokePayload.Parse(call.IsTraced, call.Payload.ToArray());
            RemoteMethod method = call.Method;
            ValueTask running;
            using (ChannelScope.BeginLocal())
            {
                // Arguments are decoded before the first await: queues and progress objects decode to the originals.
                running = method.Invoker.InvokeBatchAsync(invoke.Arguments, invoke.Count, results, cancellationToken);
            }

            await running.ConfigureAwait(false);
            if (results.WrittenCount > _maxMessageBytes)
            {
                throw new InvalidOperationException(
                    $"The result of {method.Signature} encodes to {results.WrittenCount} bytes, more than the pool's MaxMessageBytes ({_maxMessageBytes}).");
            }
        }
        catch (Exception exception)
        {
            Fail(callId, exception);
            return;
        }

        if (!IsLost)
        {
            _events.OnAnswered(this, callId, results.WrittenSpan);
        }
    }

    private bool IsLost
    {
        get
        {
            lock (_lock)
            {
                return _lost;
            }
        }
    }

    /// <summary>The same trip an error makes from a worker process: serialized, then decoded.</summary>
    private void Fail(long callId, Exception exception)
    {
        if (!IsLost)
        {
            RemoteError error = MemoryPackStates.Deserialize<RemoteError>(MemoryPackStates.Serialize(RemoteError.From(exception)))!;
            _events.OnFailed(this, callId, error);
        }
    }
}

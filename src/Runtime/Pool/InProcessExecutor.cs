using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MemoryPack;
using ParallelGen.Channels;
using ParallelGen.Protocol;
using ParallelGen.Serialization;
using ParallelGen.Transport;

namespace ParallelGen.Pool;

/// <summary>
/// Runs tasks on this process's thread pool, at most <see cref="Processes"/> at a time, through exactly the
/// bytes a worker would see: the encoded Invoke frame in, encoded results or a serialized error out. For
/// debugging with breakpoints; serialization problems still show up here as they would across processes.
/// </summary>
internal sealed class InProcessExecutor : ITaskExecutor
{
    private readonly object _lock = new();
    private readonly Queue<PoolTask> _pending = new();
    private readonly Dictionary<PoolTask, CancellationTokenSource> _running = new();
    private bool _closed;
    private bool _terminated;

    public InProcessExecutor(int processes)
    {
        Processes = processes;
    }

    public int Processes { get; }

    public void Submit(ReadOnlySpan<PoolTask> tasks)
    {
        lock (_lock)
        {
            if (_closed || _terminated)
            {
                throw new InvalidOperationException(_terminated
                    ? "The pool is terminated: it accepts no new work after Terminate() or Dispose()."
                    : "The pool is closed: it accepts no new work after Close().");
            }

            foreach (PoolTask task in tasks)
            {
                _pending.Enqueue(task);
            }
        }

        Pump();
    }

    public void Cancel(PoolTask task)
    {
        if (task.TryFailQueued(new OperationCanceledException(task.CancellationToken)))
        {
            return;
        }

        lock (_lock)
        {
            if (_running.TryGetValue(task, out CancellationTokenSource? cancellation))
            {
                task.RequestCancel();
                cancellation.Cancel();
            }
        }
    }

    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            Monitor.PulseAll(_lock);
        }
    }

    public void Terminate()
    {
        List<PoolTask> unfinished;
        lock (_lock)
        {
            _terminated = true;
            unfinished = new List<PoolTask>(_pending);
            unfinished.AddRange(_running.Keys);
            _pending.Clear();
            foreach (CancellationTokenSource cancellation in _running.Values)
            {
                cancellation.Cancel();
            }

            Monitor.PulseAll(_lock);
        }

        foreach (PoolTask task in unfinished)
        {
            task.Fail(new PoolTerminatedException());
        }
    }

    public bool Join(TimeSpan timeout)
    {
        long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_lock)
        {
            if (!_closed && !_terminated)
            {
                throw new InvalidOperationException("Join() waits for the workers to exit, so it needs Close() or Terminate() first.");
            }

            // Terminated work is abandoned at once; closed work drains first.
            while (!_terminated && (_pending.Count > 0 || _running.Count > 0))
            {
                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0 || !Monitor.Wait(_lock, (int)Math.Min(remaining, int.MaxValue)))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private void Pump()
    {
        lock (_lock)
        {
            while (!_terminated && _running.Count < Processes && _pending.TryDequeue(out PoolTask? task))
            {
                if (!task.TryMarkSent())
                {
                    continue;
                }

                var cancellation = new CancellationTokenSource();
                _running.Add(task, cancellation);
                _ = Task.Run(() => RunAsync(task, cancellation.Token));
            }
        }
    }

    private async Task RunAsync(PoolTask task, CancellationToken cancellationToken)
    {
        using var results = new PayloadBuffer(256);
        try
        {
            ReadOnlyMemory<byte> frame = task.Frame.ToArray();
            var kind = (FrameKind)frame.Span[4];
            InvokePayload invoke = InvokePayload.Parse(kind, frame[FrameHeader.Size..]);
            ValueTask call;
            using (ChannelScope.BeginLocal())
            {
                // Arguments are decoded before the first await: queues and progress objects decode to the originals.
                call = task.Method.Invoker.InvokeBatchAsync(invoke.Arguments, invoke.Count, results, cancellationToken);
            }

            await call.ConfigureAwait(false);
            task.Succeed(results.WrittenSpan);
        }
        catch (Exception exception)
        {
            // The same trip an error makes from a worker: serialized, then rebuilt as a RemoteException.
            RemoteError error = MemoryPackSerializer.Deserialize<RemoteError>(MemoryPackSerializer.Serialize(RemoteError.From(exception)))!;
            task.Fail(error.IsCancellation && task.CancelRequested
                ? new OperationCanceledException(error.Message, error.ToException(Environment.ProcessId), task.CancellationToken)
                : error.ToException(Environment.ProcessId));
        }
        finally
        {
            lock (_lock)
            {
                if (_running.Remove(task, out CancellationTokenSource? cancellation))
                {
                    cancellation.Dispose();
                }

                Monitor.PulseAll(_lock);
            }

            task.ReleaseFrame();
            Pump();
        }
    }
}

using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MemoryPack;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ParallelGen.Channels;
using ParallelGen.Generated;
using ParallelGen.Hosting;
using ParallelGen.Protocol;
using ParallelGen.Telemetry;
using ParallelGen.Transport;

namespace ParallelGen.Pool;

/// <summary>
/// Runs tasks in child processes: starts workers, accepts their connections, hands queued tasks to workers in
/// FIFO order, and turns every way a worker can go away into a prompt, precise outcome for the tasks it held.
/// </summary>
internal sealed class ProcessExecutor : ITaskExecutor
{
    /// <summary>
    /// Calls a worker may hold at once when its calls are short: it never waits for a round trip between them,
    /// and one socket read brings several. Long calls get one at a time (see <see cref="WorkerSlot.CanPrefetch"/>).
    /// </summary>
    internal const int PipelineDepth = 32;

    /// <summary>Calls shorter than this count as short: a worker running them may hold the next one too.</summary>
    private const long ShortCallMilliseconds = 2;
    private const int MaxConsecutiveStartFailures = 3;
    private const int TokenSize = 32;

    /// <summary>Header, launch token, process id.</summary>
    private const int HelloFrameSize = FrameHeader.Size + TokenSize + sizeof(int);
    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_helloTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_exitGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_terminateGrace = TimeSpan.FromSeconds(1);

    private readonly object _lock = new();
    private readonly ProcessPoolOptions _options;
    private readonly ILogger _logger;
    private readonly LinkedList<PoolTask> _pending = new();
    private readonly List<WorkerSlot> _slots = new();
    private readonly Dictionary<long, WorkerSlot> _starting = new();
    private readonly string _address;
    private readonly Socket _listener;
    private PoolState _state = PoolState.Running;
    private int _shutdownExitCode;
    private long _nextSlotKey;
    private int _consecutiveStartFailures;
    private Exception? _startFailure;
    private readonly Timer? _timeoutTimer;

    public ProcessExecutor(ProcessPoolOptions options)
    {
        _options = options;
        _logger = options.Logger ?? NullLogger.Instance;
        _address = SocketAddress.CreateUnique();
        _listener = SocketAddress.Listen(_address);
        new Thread(AcceptLoop) { IsBackground = true, Name = "ParallelGen accept" }.Start();
        if (options.TaskTimeout is TimeSpan timeout)
        {
            // Checked a few times per timeout period: a task overruns by at most about a quarter of it.
            TimeSpan period = TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 4, 10, 1000));
            _timeoutTimer = new Timer(_ => StopOverdueTasks(), null, period, period);
        }

        for (int i = 0; i < options.Processes; i++)
        {
            StartWorker();
        }
    }

    private enum PoolState
    {
        Running,
        Closed,
        Terminated,
    }

    public int Processes => _options.Processes;

    public void Submit(ReadOnlySpan<PoolTask> tasks)
    {
        foreach (PoolTask task in tasks)
        {
            if (task.Frame.Length - FrameHeader.Size > _options.MaxMessageBytes)
            {
                throw new ArgumentException(
                    $"The arguments of {task.Description} encode to {task.Frame.Length - FrameHeader.Size} bytes, more than the pool's MaxMessageBytes ({_options.MaxMessageBytes}).");
            }
        }

        Exception? startFailure;
        lock (_lock)
        {
            ThrowIfNotRunning();
            startFailure = _startFailure;
            if (startFailure is null)
            {
                foreach (PoolTask task in tasks)
                {
                    _pending.AddLast(task);
                }
            }
        }

        PoolMetrics.TasksSubmitted.Add(tasks.Length);
        if (startFailure is not null)
        {
            foreach (PoolTask task in tasks)
            {
                task.TryFailQueued(startFailure);
            }

            return;
        }

        Pump();
    }

    public void Cancel(PoolTask task)
    {
        WorkerSlot? worker = null;
        lock (_lock)
        {
            if (task.IsDone)
            {
                return;
            }

            if (task.IsSent)
            {
                task.RequestCancel();
                worker = task.Worker;
            }
        }

        if (worker is null)
        {
            // Still queued: it leaves the queue lazily, when the dispatcher meets it already done.
            task.TryFailQueued(new OperationCanceledException(task.CancellationToken));
            return;
        }

        // The worker skips a call it has not started, or signals the token of the one it runs. A call waiting
        // behind another in the worker's queue fails now; the worker's later reply for it is discarded.
        bool running = worker.IsRunning(task);
        worker.TrySendCancel(task.CallId);
        if (!running)
        {
            task.Fail(new OperationCanceledException(task.CancellationToken));
        }
    }

    public void Close()
    {
        lock (_lock)
        {
            if (_state == PoolState.Running)
            {
                _state = PoolState.Closed;
            }

            RetireIfDrained();
        }
    }

    public void Terminate()
    {
        List<WorkerSlot> slots;
        List<PoolTask> tasks = new();
        lock (_lock)
        {
            if (_state == PoolState.Terminated)
            {
                return;
            }

            _state = PoolState.Terminated;
            slots = new List<WorkerSlot>(_slots);
            tasks.AddRange(_pending);
            _pending.Clear();
            Monitor.PulseAll(_lock);
        }

        ReleaseListener();
        foreach (WorkerSlot slot in slots)
        {
            tasks.AddRange(slot.MarkDeadAndDrain());
        }

        foreach (PoolTask task in tasks)
        {
            task.Fail(new PoolTerminatedException());
        }

        // Closing a worker's socket makes it exit at once through its normal path, which also removes its
        // runtime diagnostics socket; a kill would leave that behind. Whoever is not gone shortly is killed.
        foreach (WorkerSlot slot in slots)
        {
            if (slot.IsConnected)
            {
                slot.CloseConnection();
            }
            else
            {
                slot.Kill();
            }
        }

        long deadline = Environment.TickCount64 + (long)s_terminateGrace.TotalMilliseconds;
        foreach (WorkerSlot slot in slots)
        {
            slot.WaitForExitCode(TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64)));
        }

        lock (_lock)
        {
            foreach (WorkerSlot slot in slots)
            {
                _slots.Remove(slot);
            }

            Monitor.PulseAll(_lock);
        }
    }

    public bool Join(TimeSpan timeout)
    {
        long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_lock)
        {
            if (_state == PoolState.Running)
            {
                throw new InvalidOperationException("Join() waits for the workers to exit, so it needs Close() or Terminate() first.");
            }

            while (_slots.Count > 0)
            {
                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0 || !Monitor.Wait(_lock, (int)Math.Min(remaining, int.MaxValue)))
                {
                    return _slots.Count == 0;
                }
            }

            return true;
        }
    }

    // ---------------------------------------------------------------- scheduling

    /// <summary>Hands queued tasks to workers with room, until one of the two runs out.</summary>
    private void Pump()
    {
        while (true)
        {
            WorkerSlot? slot;
            PoolTask? task = null;
            WorkerSlot? victim = null;
            PoolTask? stolen = null;
            lock (_lock)
            {
                if (_state == PoolState.Terminated)
                {
                    return;
                }

                slot = PickWorker();
                if (slot is null)
                {
                    return;
                }

                while (_pending.First is { } first)
                {
                    _pending.RemoveFirst();
                    if (first.Value.TryMarkSent())
                    {
                        task = first.Value;
                        break;
                    }
                }

                if (task is null)
                {
                    RetireIfDrained();
                    (victim, stolen) = FindWorkToSteal(slot);
                }
                else
                {
                    slot.Reserved++;
                    slot.Assigned++;
                }
            }

            if (task is null)
            {
                if (stolen is not null)
                {
                    victim!.TrySendWithdraw(stolen.CallId);
                }

                return;
            }

            if (!slot.TrySend(task))
            {
                lock (_lock)
                {
                    slot.Reserved--;
                    Requeue(task);
                }
            }
        }
    }

    /// <summary>
    /// Nothing is queued but <paramref name="idle"/> has nothing to do: take back a call that waits, unstarted,
    /// behind a running one on another worker (pipelining must never leave a worker idle beside a backlog).
    /// </summary>
    private (WorkerSlot? Victim, PoolTask? Task) FindWorkToSteal(WorkerSlot idle)
    {
        if (idle.Reserved != 0)
        {
            return (null, null);
        }

        foreach (WorkerSlot slot in _slots)
        {
            if (slot != idle && slot.Reserved >= 2 && slot.FindWaiting() is PoolTask waiting)
            {
                waiting.Withdrawing = true;
                return (slot, waiting);
            }
        }

        return (null, null);
    }

    /// <summary>The connected worker with the most room (fewest calls in flight), or null.</summary>
    private WorkerSlot? PickWorker()
    {
        WorkerSlot? best = null;
        foreach (WorkerSlot slot in _slots)
        {
            if (!slot.IsConnected || slot.Retiring || slot.Initializing || slot.Reserved >= PipelineDepth)
            {
                continue;
            }

            if (_options.MaxTasksPerChild is int max && slot.Assigned >= max)
            {
                continue;
            }

            if (slot.Reserved > 0 && !slot.CanPrefetch(Environment.TickCount64, ShortCallMilliseconds))
            {
                continue;
            }

            if (best is null || slot.Reserved < best.Reserved)
            {
                best = slot;
            }
        }

        return best;
    }

    /// <summary>Puts a task that never started back at the front of the queue (under the lock).</summary>
    private void Requeue(PoolTask task)
    {
        if (!task.TryMarkQueued())
        {
            return;
        }

        if (task.CancelRequested)
        {
            task.TryFailQueued(new OperationCanceledException(task.CancellationToken));
            return;
        }

        _pending.AddFirst(task);
    }

    /// <summary>After Close(): once nothing is queued or running, tells idle workers to exit (under the lock).</summary>
    private void RetireIfDrained()
    {
        if (_state != PoolState.Closed || HasQueuedWork())
        {
            return;
        }

        foreach (WorkerSlot slot in _slots)
        {
            if (slot.Reserved > 0)
            {
                return;
            }
        }

        foreach (WorkerSlot slot in _slots)
        {
            if (slot.IsConnected && !slot.Retiring)
            {
                slot.Retiring = true;
                slot.TrySendShutdown(_shutdownExitCode);
            }
        }
    }

    /// <summary>After Close(), once the last worker is gone, nothing can connect any more (under the lock).</summary>
    private void ReleaseListenerIfFinished()
    {
        if (_state == PoolState.Closed && _slots.Count == 0 && !HasQueuedWork())
        {
            ReleaseListener();
        }
    }

    /// <summary>Stops accepting connections and the timeout checks; safe to call more than once.</summary>
    private void ReleaseListener()
    {
        _listener.Dispose();
        _timeoutTimer?.Dispose();
        SocketAddress.Delete(_address);
    }

    /// <summary>Like <see cref="Close()"/>, with the exit code idle workers are asked to exit with.</summary>
    public void Close(int exitCode)
    {
        lock (_lock)
        {
            _shutdownExitCode = exitCode;
        }

        Close();
    }

    /// <summary>Why workers cannot start, once that is known for good.</summary>
    public Exception? StartFailure
    {
        get
        {
            lock (_lock)
            {
                return _startFailure;
            }
        }
    }

    /// <summary>The process of the first worker started (a <see cref="WorkerProcess"/> has exactly one).</summary>
    public Process? FirstProcess { get; private set; }

    private bool HasQueuedWork()
    {
        foreach (PoolTask task in _pending)
        {
            if (!task.IsDone)
            {
                return true;
            }
        }

        return false;
    }

    private void ThrowIfNotRunning()
    {
        if (_state != PoolState.Running)
        {
            throw new InvalidOperationException(_state == PoolState.Closed
                ? "The pool is closed: it accepts no new work after Close()."
                : "The pool is terminated: it accepts no new work after Terminate() or Dispose().");
        }
    }

    // ---------------------------------------------------------------- worker lifecycle

    private void StartWorker()
    {
        long key = Interlocked.Increment(ref _nextSlotKey);
        byte[] token = RandomNumberGenerator.GetBytes(TokenSize);
        ProcessStartInfo startInfo;
        try
        {
            startInfo = WorkerLauncher.CreateStartInfo(new WorkerArguments(_address, Environment.ProcessId, (int)key, _options.MaxMessageBytes), Convert.ToHexString(token));
        }
        catch (WorkerStartException exception)
        {
            FailStarts(exception);
            return;
        }

        var slot = new WorkerSlot(key, token, WorkerLauncher.Describe(startInfo));
        lock (_lock)
        {
            if (_state == PoolState.Terminated || _startFailure is not null)
            {
                return;
            }

            _slots.Add(slot);
            _starting.Add(key, slot);
        }

        try
        {
            slot.Process = Process.Start(startInfo) ?? throw new WorkerStartException("Process.Start returned no process for: " + slot.CommandLine);
            FirstProcess ??= slot.Process;
            PoolMetrics.WorkersStarted.Add(1);
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or WorkerStartException)
        {
            lock (_lock)
            {
                _slots.Remove(slot);
                _starting.Remove(key);
                Monitor.PulseAll(_lock);
            }

            FailStarts(new WorkerStartException("Cannot start a worker process: " + slot.CommandLine, exception));
            return;
        }

        _ = slot.Process.WaitForExitAsync().ContinueWith(_ => OnProcessExited(slot), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _ = Task.Delay(s_connectTimeout).ContinueWith(_ => OnConnectTimeout(slot), TaskScheduler.Default);
    }

    private void OnConnectTimeout(WorkerSlot slot)
    {
        lock (_lock)
        {
            if (!_starting.ContainsKey(slot.Key))
            {
                return;
            }
        }

        slot.Kill(); // OnProcessExited counts it as a failed start.
    }

    /// <summary>A worker exited. If it never connected, that is a failed start; otherwise its reader handles it.</summary>
    private void OnProcessExited(WorkerSlot slot)
    {
        bool failedStart;
        lock (_lock)
        {
            failedStart = _starting.Remove(slot.Key);
            if (failedStart)
            {
                _slots.Remove(slot);
                Monitor.PulseAll(_lock);
            }

            if (!failedStart || _state == PoolState.Terminated)
            {
                return;
            }

            _consecutiveStartFailures++;
            if (_consecutiveStartFailures < MaxConsecutiveStartFailures && _options.ReplaceWorkers)
            {
                failedStart = false;
            }
        }

        if (failedStart)
        {
            int? exitCode = slot.WaitForExitCode(TimeSpan.Zero);
            FailStarts(new WorkerStartException(
                $"Worker processes exit before connecting to the pool ({MaxConsecutiveStartFailures} in a row; last exit code {exitCode?.ToString() ?? "unknown"}). " +
                $"Their standard error, above, usually says why. Command line: {slot.CommandLine}"));
        }
        else
        {
            StartWorker();
        }
    }

    /// <summary>Workers cannot be started: fail queued work now, and later submissions at once, rather than wait forever.</summary>
    private void FailStarts(WorkerStartException exception)
    {
        PoolLog.StartFailed(_logger, exception);
        List<PoolTask> queued;
        lock (_lock)
        {
            _startFailure ??= exception;
            queued = new List<PoolTask>(_pending);
            _pending.Clear();
            Monitor.PulseAll(_lock);
        }

        foreach (PoolTask task in queued)
        {
            task.TryFailQueued(exception);
        }
    }

    private void AcceptLoop()
    {
        while (true)
        {
            Socket connection;
            try
            {
                connection = _listener.Accept();
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                return; // listener closed by Terminate()
            }

            _ = HandshakeAsync(connection);
        }
    }

    /// <summary>
    /// Reads the worker's Hello and matches it to the slot that started it; anything else is dropped. The read is
    /// asynchronous and short-lived, so connections that never speak hold no thread and cannot delay real workers.
    /// </summary>
    private async Task HandshakeAsync(Socket connection)
    {
        WorkerSlot? slot = null;
        try
        {
            byte[] hello = new byte[HelloFrameSize];
            using (var timeout = new CancellationTokenSource(s_helloTimeout))
            {
                for (int filled = 0; filled < hello.Length;)
                {
                    int received = await connection.ReceiveAsync(hello.AsMemory(filled), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                    if (received == 0)
                    {
                        connection.Dispose();
                        return;
                    }

                    filled += received;
                }
            }

            if (!TryAcceptHello(connection, hello, out slot))
            {
                connection.Dispose();
                return;
            }
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            connection.Dispose();
            return;
        }

        new Thread(() => ReadLoop(slot)) { IsBackground = true, Name = $"ParallelGen worker {slot.ProcessId} reader" }.Start();
        PoolLog.WorkerConnected(_logger, slot.ProcessId);
        // Load every assembly with [ProcessParallel] methods now, while the worker would otherwise wait for work.
        slot.Preload(DispatchRegistry.Assemblies);
        if (_options.Initializer is ProcessInitializer initializer)
        {
            SendInitializer(slot, initializer);
        }

        lock (_lock)
        {
            RetireIfDrained();
        }

        Pump();
    }

    /// <summary>Checks a Hello frame (kind, slot key, launch token) and attaches the connection to its slot.</summary>
    private bool TryAcceptHello(Socket connection, ReadOnlySpan<byte> frame, [NotNullWhen(true)] out WorkerSlot? slot)
    {
        slot = null;
        int length = BinaryPrimitives.ReadInt32LittleEndian(frame);
        var kind = (FrameKind)frame[4];
        long key = BinaryPrimitives.ReadInt64LittleEndian(frame[5..]);
        ReadOnlySpan<byte> payload = frame[FrameHeader.Size..];
        lock (_lock)
        {
            if (length != HelloFrameSize - FrameHeader.LengthFieldSize
                || kind != FrameKind.Hello
                || !_starting.TryGetValue(key, out slot)
                || !CryptographicOperations.FixedTimeEquals(payload[..TokenSize], slot.Token))
            {
                slot = null;
                return false;
            }

            _starting.Remove(key);
            _consecutiveStartFailures = 0;
            slot.Attach(connection, new FrameReader(connection, FrameHeader.MaxLengthFor(_options.MaxMessageBytes)), BinaryPrimitives.ReadInt32LittleEndian(payload[TokenSize..]));
            slot.Initializing = _options.Initializer is not null; // set with Attach, so no task can overtake it
            if (_state == PoolState.Terminated)
            {
                slot.Kill();
            }

            return true;
        }
    }

    /// <summary>Sends the initializer first, so the worker runs it before any task queued behind it.</summary>
    private void SendInitializer(WorkerSlot slot, ProcessInitializer initializer)
    {
        PoolTask task = initializer.CreateTask(
            onSucceeded: () =>
            {
                lock (_lock)
                {
                    slot.Initializing = false;
                }

                Pump();
            },
            onFailed: error => FailStarts(new WorkerStartException(
                $"The pool's initializer {initializer.Method.Signature} failed in worker {slot.ProcessId}; queued work fails rather than restarting workers forever.",
                error)));
        task.TryMarkSent();
        lock (_lock)
        {
            slot.Reserved++;
        }

        if (!slot.TrySend(task))
        {
            task.Fail(new WorkerCrashedException(slot.ProcessId, null, "the initializer " + initializer.Method.Signature));
        }
    }

    /// <summary>TaskTimeout: kills workers whose running task is overdue; <see cref="OnWorkerLost"/> reports it.</summary>
    private void StopOverdueTasks()
    {
        long limit = (long)_options.TaskTimeout!.Value.TotalMilliseconds;
        long now = Environment.TickCount64;
        List<WorkerSlot> slots;
        lock (_lock)
        {
            slots = new List<WorkerSlot>(_slots);
        }

        foreach (WorkerSlot slot in slots)
        {
            if (slot.TimedOut is null && slot.FindOverdue(now, limit) is PoolTask overdue)
            {
                PoolLog.TaskTimedOut(_logger, overdue.Description, _options.TaskTimeout.Value, slot.ProcessId);
                slot.TimedOut = overdue;
                slot.Kill();
            }
        }
    }

    // ---------------------------------------------------------------- results

    private void ReadLoop(WorkerSlot slot)
    {
        Exception? failure = null;
        try
        {
            while (slot.Reader!.TryRead(out Frame frame))
            {
                using (frame)
                {
                    PoolMetrics.BytesReceived.Add(FrameHeader.Size + frame.Payload.Length);
                    switch (frame.Kind)
                    {
                        case FrameKind.Result:
                            OnResult(slot, frame);
                            break;
                        case FrameKind.Error:
                            OnError(slot, frame);
                            break;
                        case FrameKind.Output:
                            WriteOutput(frame);
                            break;
                        case FrameKind.Withdrawn:
                            OnWithdrawn(slot, frame);
                            break;
                        case FrameKind.ChannelItem:
                            DeliverChannelItem(frame);
                            break;
                        default:
                            throw new ProtocolException($"Worker {slot.ProcessId} sent an unexpected frame of kind {(byte)frame.Kind}.");
                    }
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or ProtocolException or ObjectDisposedException or MemoryPackSerializationException)
        {
            failure = exception;
        }

        OnWorkerLost(slot, failure);
    }

    private void OnResult(WorkerSlot slot, Frame frame)
    {
        PoolTask task = slot.TakeAnswered(frame.Id);
        Finished(slot);
        task.Succeed(frame.Payload.Span);
        task.ReleaseFrame();
        Pump();
    }

    private void OnError(WorkerSlot slot, Frame frame)
    {
        PoolTask task = slot.TakeAnswered(frame.Id);
        Finished(slot);
        RemoteError? error = MemoryPackSerializer.Deserialize<RemoteError>(frame.Payload.Span);
        Exception exception = error is null
            ? new ProtocolException($"Worker {slot.ProcessId} reported a failure without details.")
            : error.IsCancellation && (task.CancelRequested || task.CancellationToken.IsCancellationRequested)
                ? new OperationCanceledException(error.Message, error.ToException(slot.ProcessId), task.CancellationToken)
                : error.ToException(slot.ProcessId);
        task.Fail(exception);
        task.ReleaseFrame();
        Pump();
    }

    /// <summary>A worker gave back an unstarted call: queue it first, for the idle worker that asked.</summary>
    private void OnWithdrawn(WorkerSlot slot, Frame frame)
    {
        PoolTask task = slot.TakeAnswered(frame.Id);
        lock (_lock)
        {
            slot.Reserved--;
            slot.Assigned--;
            task.Withdrawing = false;
            if (_state != PoolState.Terminated)
            {
                Requeue(task);
            }
        }

        Pump();
    }

    /// <summary>Bookkeeping when a worker answers a call; recycles it once it has done its quota.</summary>
    private void Finished(WorkerSlot slot)
    {
        bool recycle = false;
        lock (_lock)
        {
            slot.Reserved--;
            if (_options.MaxTasksPerChild is int max && slot.Assigned >= max && slot.Reserved == 0 && !slot.Retiring)
            {
                slot.Retiring = true;
                recycle = _state != PoolState.Terminated;
            }
        }

        if (recycle)
        {
            PoolLog.WorkerRecycled(_logger, slot.ProcessId, slot.Assigned);
            slot.TrySendShutdown();
            StartWorker();
        }
    }

    /// <summary>An item a worker put in a queue or reported to a progress object of this process.</summary>
    private static void DeliverChannelItem(Frame frame)
    {
        try
        {
            ChannelRegistry.Deliver(frame.Id, frame.Payload.Span);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A throwing IProgress.Report is the caller's bug, not the worker's: it must not stop this reader.
            Console.Error.WriteLine($"ParallelGen: delivering an item from a worker failed: {exception}");
        }
    }

    private static void WriteOutput(Frame frame)
    {
        string text = Encoding.UTF8.GetString(frame.Payload.Span);
        if (frame.Id == 2)
        {
            Console.Error.Write(text);
        }
        else
        {
            Console.Out.Write(text);
        }
    }

    /// <summary>The task a worker died running: a timeout, a retry (MaxRetries), or a crash report.</summary>
    private void FailOrRetry(WorkerSlot slot, PoolTask running, int? exitCode, Exception? failure)
    {
        if (ReferenceEquals(slot.TimedOut, running))
        {
            running.Fail(new TimeoutException(
                $"{running.Description} ran longer than the pool's TaskTimeout of {_options.TaskTimeout}; its worker {slot.ProcessId} was stopped and replaced."));
            return;
        }

        lock (_lock)
        {
            if (!running.IsInitializer && running.Retries < _options.MaxRetries && _state != PoolState.Terminated)
            {
                running.Retries++;
                PoolLog.TaskRetried(_logger, running.Description, running.Retries, slot.ProcessId);
                Requeue(running);
                return;
            }
        }

        running.Fail(new WorkerCrashedException(slot.ProcessId, exitCode, running.Description, failure));
    }

    private void ReportExit(WorkerSlot slot, PoolTask? running, int? exitCode, Exception? failure)
    {
        if (failure is ProtocolException)
        {
            PoolLog.ProtocolViolation(_logger, slot.ProcessId, failure);
        }

        if (running is not null)
        {
            PoolMetrics.WorkersCrashed.Add(1);
            PoolLog.WorkerCrashed(_logger, slot.ProcessId, exitCode, running.Description);
        }
        else
        {
            PoolLog.WorkerExited(_logger, slot.ProcessId, exitCode);
        }
    }

    /// <summary>
    /// The connection ended. The running task (if any) fails with <see cref="WorkerCrashedException"/>, tasks
    /// sent behind it go back to the front of the queue, and a replacement starts if there is work left.
    /// </summary>
    private void OnWorkerLost(WorkerSlot slot, Exception? failure)
    {
        List<PoolTask> orphaned = slot.MarkDeadAndDrain();
        if (failure is ProtocolException)
        {
            slot.Kill(); // a protocol violation: don't trust the process any further.
        }

        int? exitCode = slot.WaitForExitCode(s_exitGrace);
        slot.CloseConnection();

        PoolTask? running = orphaned.Count > 0 ? orphaned[0] : null;
        ReportExit(slot, running, exitCode, failure);
        bool terminated;
        bool replace;
        lock (_lock)
        {
            terminated = _state == PoolState.Terminated;
            _slots.Remove(slot);
            slot.Reserved = 0;
            for (int i = orphaned.Count - 1; i >= 1; i--)
            {
                if (terminated)
                {
                    continue;
                }

                if (orphaned[i].IsInitializer)
                {
                    orphaned[i].Fail(new WorkerCrashedException(slot.ProcessId, null, orphaned[i].Description));
                }
                else
                {
                    Requeue(orphaned[i]);
                }
            }

            ReleaseListenerIfFinished();
            replace = !terminated && _options.ReplaceWorkers && (!slot.Retiring || running is not null) && (_state == PoolState.Running || HasQueuedWork() || orphaned.Count > 1);
            RetireIfDrained();
            Monitor.PulseAll(_lock);
        }

        if (terminated)
        {
            foreach (PoolTask task in orphaned)
            {
                task.Fail(new PoolTerminatedException());
            }

            return;
        }

        if (running is not null)
        {
            FailOrRetry(slot, running, exitCode, failure);
        }

        if (replace)
        {
            StartWorker();
        }

        Pump();
    }
}

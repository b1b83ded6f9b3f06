using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using ParallelGen.Telemetry;
using ParallelGen.Transport;

namespace ParallelGen.Pool;

/// <summary>
/// The parent's side of one worker process: its process, its connection, and the calls sent to it in order.
/// A worker runs calls one at a time in arrival order, so results arrive in send order and the first call in
/// flight is always the one running. Fields marked "scheduler" are guarded by the executor's lock; the in-flight
/// list and the connection by <see cref="FrameSender.SyncRoot"/>.
/// </summary>
internal sealed class WorkerSlot
{
    private readonly LinkedList<PoolTask> _inFlight = new();
    private readonly HashSet<Assembly> _loadedAssemblies = new();
    private Socket? _socket;
    private FrameSender? _sender;
    private bool _dead;

    public WorkerSlot(long key, byte[] token, string commandLine)
    {
        Key = key;
        Token = token;
        CommandLine = commandLine;
    }

    public long Key { get; }

    public byte[] Token { get; }

    public string CommandLine { get; }

    public Process? Process { get; set; }

    public int ProcessId { get; private set; }

    public FrameReader? Reader { get; private set; }

    public bool IsConnected => _sender is not null;

    /// <summary>Scheduler: tasks sent and not yet answered.</summary>
    public int Reserved { get; set; }

    /// <summary>Scheduler: tasks ever sent (for MaxTasksPerChild).</summary>
    public int Assigned { get; set; }

    /// <summary>Scheduler: told to exit once idle; its exit is not a crash.</summary>
    public bool Retiring { get; set; }

    /// <summary>Scheduler: its initializer has not finished, so it takes no tasks yet.</summary>
    public bool Initializing { get; set; }

    /// <summary>The task this worker was killed for running too long, if any.</summary>
    public PoolTask? TimedOut { get; set; }

    /// <summary>When the running task (the oldest in flight) started, in <see cref="Environment.TickCount64"/> milliseconds.</summary>
    private long _runningSince;

    /// <summary>How long the last answered call ran, in milliseconds; unknown (max) until one is answered.</summary>
    private long _lastDurationMilliseconds = long.MaxValue;

    public void Attach(Socket socket, FrameReader reader, int processId)
    {
        _socket = socket;
        Reader = reader;
        ProcessId = processId;
        _sender = new FrameSender(socket);
    }

    /// <summary>Sends a task, first loading its assembly in the worker if needed.</summary>
    /// <returns>False if the worker is gone; the caller queues the task again.</returns>
    public bool TrySend(PoolTask task)
    {
        FrameSender sender = _sender!;
        lock (sender.SyncRoot)
        {
            if (_dead)
            {
                return false;
            }

            if (task.IsDone)
            {
                return true;
            }

            LinkedListNode<PoolTask>? node = null;
            try
            {
                Assembly assembly = task.Method.Info.DeclaringType.Assembly;
                if (_loadedAssemblies.Add(assembly))
                {
                    SendUnlocked(sender, FrameKind.LoadAssembly, 0, Encoding.UTF8.GetBytes(assembly.FullName!));
                }

                task.Worker = this;
                node = _inFlight.AddLast(task);
                if (_inFlight.Count == 1)
                {
                    _runningSince = Environment.TickCount64;
                }

                ReadOnlySpan<byte> frame = task.Frame;
                sender.SendFrame(frame);
                PoolMetrics.TasksRunning.Add(1);
                PoolMetrics.BytesSent.Add(frame.Length);
                return true;
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                if (node is not null)
                {
                    _inFlight.Remove(node);
                }

                _dead = true;
                return false;
            }
        }
    }

    /// <summary>Has the worker load these assemblies ahead of the first call that needs them.</summary>
    public void Preload(IEnumerable<Assembly> assemblies)
    {
        FrameSender sender = _sender!;
        lock (sender.SyncRoot)
        {
            try
            {
                foreach (Assembly assembly in assemblies)
                {
                    if (!_dead && _loadedAssemblies.Add(assembly))
                    {
                        SendUnlocked(sender, FrameKind.LoadAssembly, 0, Encoding.UTF8.GetBytes(assembly.FullName!));
                    }
                }
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                _dead = true;
            }
        }
    }

    /// <summary>
    /// Removes and returns in-flight call <paramref name="callId"/>. Calls finish in send order, except that
    /// a withdrawn or cancelled call not yet started may be answered ahead of the running one.
    /// </summary>
    public PoolTask TakeAnswered(long callId)
    {
        lock (_sender!.SyncRoot)
        {
            for (LinkedListNode<PoolTask>? node = _inFlight.First; node is not null; node = node.Next)
            {
                if (node.Value.CallId != callId)
                {
                    continue;
                }

                if (node == _inFlight.First)
                {
                    long now = Environment.TickCount64;
                    _lastDurationMilliseconds = now - _runningSince;
                    _runningSince = now; // the next call in flight starts now
                }

                _inFlight.Remove(node);
                PoolMetrics.TasksRunning.Add(-1);
                return node.Value;
            }

            throw new ProtocolException($"Worker {ProcessId} answered call {callId}, which it does not have.");
        }
    }

    /// <summary>
    /// True if a second call may be sent before the running one ends: only for a worker whose calls are short
    /// (the last one and the running one so far). Prefetching saves a round trip per call, which matters only
    /// when calls take about that long; a long call would make the next one wait while another worker may be free.
    /// </summary>
    public bool CanPrefetch(long now, long shortCallMilliseconds)
    {
        lock (_sender!.SyncRoot)
        {
            return _lastDurationMilliseconds < shortCallMilliseconds && now - _runningSince < shortCallMilliseconds;
        }
    }

    /// <summary>The first call in flight that has not started (queued behind the running one), if any.</summary>
    public PoolTask? FindWaiting()
    {
        FrameSender? sender = _sender;
        if (sender is null)
        {
            return null;
        }

        lock (sender.SyncRoot)
        {
            for (LinkedListNode<PoolTask>? node = _inFlight.First?.Next; node is not null; node = node.Next)
            {
                if (!node.Value.Withdrawing && !node.Value.IsDone)
                {
                    return node.Value;
                }
            }

            return null;
        }
    }

    public void TrySendWithdraw(long callId) => TrySendControl(FrameKind.Withdraw, callId);

    /// <summary>True if <paramref name="task"/> is the call this worker is running (the oldest in flight).</summary>
    public bool IsRunning(PoolTask task)
    {
        lock (_sender!.SyncRoot)
        {
            return ReferenceEquals(_inFlight.First?.Value, task);
        }
    }

    /// <summary>The running task if it has run for at least <paramref name="limitMilliseconds"/>, else null.</summary>
    public PoolTask? FindOverdue(long now, long limitMilliseconds)
    {
        FrameSender? sender = _sender;
        if (sender is null)
        {
            return null;
        }

        lock (sender.SyncRoot)
        {
            return !_dead && _inFlight.First is { } head && now - _runningSince >= limitMilliseconds ? head.Value : null;
        }
    }

    /// <summary>Marks the connection dead and hands back every task it still had, oldest (the running one) first.</summary>
    public List<PoolTask> MarkDeadAndDrain()
    {
        object gate = (object?)_sender?.SyncRoot ?? _inFlight;
        lock (gate)
        {
            _dead = true;
            var drained = new List<PoolTask>(_inFlight);
            _inFlight.Clear();
            PoolMetrics.TasksRunning.Add(-drained.Count);
            return drained;
        }
    }

    public void TrySendCancel(long callId) => TrySendControl(FrameKind.Cancel, callId);

    public void TrySendShutdown(int exitCode = 0) => TrySendControl(FrameKind.Shutdown, exitCode);

    /// <summary>Closes the connection: the worker sees end-of-stream and exits.</summary>
    public void CloseConnection()
    {
        try
        {
            _socket?.Shutdown(SocketShutdown.Both);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        _socket?.Dispose();
    }

    public void Kill()
    {
        try
        {
            Process?.Kill(entireProcessTree: true);
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already exited.
        }
    }

    /// <summary>Waits for the process to exit (killing it if it lingers) and returns its exit code.</summary>
    public int? WaitForExitCode(TimeSpan grace)
    {
        Process? process = Process;
        if (process is null)
        {
            return null;
        }

        try
        {
            if (!process.WaitForExit(grace))
            {
                Kill();
                process.WaitForExit(TimeSpan.FromSeconds(5));
            }

            if (!process.HasExited)
            {
                return null;
            }

            DeleteDiagnosticsSocket(process.Id);
            return process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Every .NET process listens on dotnet-diagnostic-&lt;pid&gt;-&lt;key&gt;-socket in the temp directory and
    /// removes it when it exits normally, but not always (and never when killed). A worker's is stale once the worker
    /// has exited, and thousands would pile up on a machine that runs many pools.
    /// </summary>
    private static void DeleteDiagnosticsSocket(int processId)
    {
        try
        {
            foreach (string socket in Directory.EnumerateFiles(Path.GetTempPath(), $"dotnet-diagnostic-{processId}-*-socket"))
            {
                File.Delete(socket);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover socket file is untidy, not harmful.
        }
    }

    private void TrySendControl(FrameKind kind, long id)
    {
        FrameSender? sender = _sender;
        if (sender is null)
        {
            return;
        }

        lock (sender.SyncRoot)
        {
            if (_dead)
            {
                return;
            }

            try
            {
                SendUnlocked(sender, kind, id, ReadOnlySpan<byte>.Empty);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                _dead = true;
            }
        }
    }

    private static void SendUnlocked(FrameSender sender, FrameKind kind, long id, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[FrameHeader.Size];
        FrameHeader.Write(header, payload.Length, kind, id);
        sender.SendFrame(header);
        if (!payload.IsEmpty)
        {
            sender.SendFrame(payload);
        }
    }
}

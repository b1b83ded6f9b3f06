using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using ParallelGen.Generated;
using ParallelGen.Hosting;
using ParallelGen.Telemetry;
using ParallelGen.Transport;
using ParallelGen.Transport.SharedMemory;

namespace ParallelGen.Backends.Process;

/// <summary>
/// Workers as child processes of this one: launches them, matches their connections to the processes it started,
/// reads their frames, and reports every way one can go away. One worker per process; a worker exits when its
/// connection closes, so no process outlives its pool.
/// </summary>
internal sealed class ProcessBackend : IWorkerBackend
{
    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_exitGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_terminateGrace = TimeSpan.FromSeconds(1);

    private readonly object _lock = new();
    private readonly ProcessPoolOptions _options;
    private readonly IWorkerEvents _events;
    private readonly Action<System.Diagnostics.Process>? _launched;
    private readonly bool _sharedMemory;
    private readonly WorkerListener _listener;
    private readonly Dictionary<long, ChildWorker> _starting = new();
    private readonly LiveWorkers<ChildWorker> _live = new();
    private long _nextKey;
    private bool _terminated;

    /// <param name="options">The pool's options.</param>
    /// <param name="events">Where workers' events go: the scheduler.</param>
    /// <param name="launched">Told of each process started (a <see cref="WorkerProcess"/> exposes its one process).</param>
    /// <param name="sharedMemory">Offer each worker shared-memory rings for its frames (where the platform has them).</param>
    public ProcessBackend(ProcessPoolOptions options, IWorkerEvents events, Action<System.Diagnostics.Process>? launched = null, bool sharedMemory = true)
    {
        _options = options;
        _events = events;
        _launched = launched;
        _sharedMemory = sharedMemory && RingRegion.IsSupported;
        _listener = new WorkerListener(TryAccept, IsAwaited, options.Logger);
    }

    public int Processes => _options.Processes;

    /// <summary>Where workers connect.</summary>
    public string Address => _listener.Address;

    /// <summary>Connections the listener accepted whose Hello it still awaits (tests watch it).</summary>
    internal int AwaitingHello => _listener.AwaitingHello;

    /// <summary>The workers started and not yet lost (tests look at their shared memory).</summary>
    internal IReadOnlyList<ChildWorker> Workers => _live.Snapshot();

    public void StartWorker()
    {
        long key = Interlocked.Increment(ref _nextKey);
        byte[] token = RandomNumberGenerator.GetBytes(WorkerListener.TokenSize);
        RingRegion? region = CreateRegion();
        ProcessStartInfo startInfo;
        try
        {
            var arguments = new WorkerArguments(_listener.Address, Environment.ProcessId, (int)key, _options.MaxMessageBytes) { Ring = region?.Describe() };
            startInfo = WorkerLauncher.CreateStartInfo(arguments, Convert.ToHexString(token));
        }
        catch (WorkerStartException exception)
        {
            region?.Dispose();
            _events.OnStartFailed(exception, mayRetry: false);
            return;
        }

        var worker = new ChildWorker(key, token, WorkerLauncher.Describe(startInfo), region);
        lock (_lock)
        {
            if (_terminated)
            {
                worker.ReleaseRegion();
                _events.OnStartFailed(new WorkerStartException("The pool is terminated."), mayRetry: false);
                return;
            }

            _live.Add(worker);
            _starting.Add(key, worker);
        }

        try
        {
            worker.Process = System.Diagnostics.Process.Start(startInfo) ?? throw new WorkerStartException("Process.Start returned no process for: " + worker.CommandLine);
            PoolMetrics.WorkersStarted.Add(1);
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or WorkerStartException)
        {
            Forget(worker);
            _events.OnStartFailed(new WorkerStartException("Cannot start a worker process: " + worker.CommandLine, exception), mayRetry: IsMomentary(exception));
            return;
        }

        _launched?.Invoke(worker.Process);
        _ = worker.Process.WaitForExitAsync().ContinueWith(_ => OnProcessExited(worker), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _ = Task.Delay(s_connectTimeout).ContinueWith(_ => OnConnectTimeout(worker), TaskScheduler.Default);
    }

    public void Terminate()
    {
        lock (_lock)
        {
            _terminated = true;
        }

        List<ChildWorker> workers = _live.Snapshot();
        _listener.Dispose();

        // Closing a worker's socket makes it exit at once through its normal path, which also removes its runtime
        // diagnostics socket; a kill would leave that behind. Whoever is not gone shortly is killed.
        foreach (ChildWorker worker in workers)
        {
            worker.MarkDead();
            if (worker.IsConnected)
            {
                worker.CloseConnection();
            }
            else
            {
                worker.Kill();
            }
        }

        long deadline = Environment.TickCount64 + (long)s_terminateGrace.TotalMilliseconds;
        foreach (ChildWorker worker in workers)
        {
            worker.WaitForExitCode(TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64)));
        }

        lock (_lock)
        {
            _starting.Clear();
        }

        _live.Clear();
    }

    public bool Join(TimeSpan timeout) => _live.Join(timeout);

    /// <summary>Stops accepting connections; safe to call more than once.</summary>
    public void Dispose() => _listener.Dispose();

    /// <summary>Matches a Hello to the worker started for its slot, by launch token, and starts reading its frames.</summary>
    private bool TryAccept(Socket connection, WorkerListener.Hello hello)
    {
        ChildWorker? worker;
        lock (_lock)
        {
            if (!_starting.TryGetValue(hello.Key, out worker)
                || !CryptographicOperations.FixedTimeEquals(hello.Token, worker.Token)
                || !IsTheProcessStarted(connection, worker))
            {
                return false;
            }

            _starting.Remove(hello.Key);
            if (_terminated)
            {
                // Too late: the listener closes the connection (false), the process goes.
                worker.Kill();
                worker.ReleaseRegion();
                return false;
            }

            worker.Attach(connection, hello.ProcessId, _options.MaxMessageBytes);
        }

        // Load every assembly with [ProcessParallel] methods now, while the worker would otherwise wait for work.
        worker.Preload(DispatchRegistry.Assemblies);
        _events.OnReady(worker); // before its reader starts, so its loss can only be reported after it was ready
        new Thread(() => ReadUntilLost(worker)) { IsBackground = true, Name = $"ParallelGen worker {hello.ProcessId} reader" }.Start();
        return true;
    }

    /// <summary>True if <paramref name="processId"/> is a worker this backend started that has not connected yet.</summary>
    private bool IsAwaited(int processId)
    {
        lock (_lock)
        {
            foreach (ChildWorker worker in _starting.Values)
            {
                if (worker.Process?.Id == processId)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// The kernel's word on who connected (<see cref="PeerCredentials"/>): the process this backend started for the
    /// slot, so a token read from /proc by someone else opens nothing. Where the kernel cannot tell, the listener's
    /// directory (only this user can enter it) and the token are the gate.
    /// </summary>
    private static bool IsTheProcessStarted(Socket connection, ChildWorker worker)
    {
        if (!PeerCredentials.IsSupported)
        {
            return true;
        }

        try
        {
            // Process is set as soon as Process.Start returns, long before a .NET worker is up to connect.
            return PeerCredentials.TryGet(connection, out PeerCredentials peer)
                && peer.UserId == PeerCredentials.CurrentUserId
                && worker.Process is { } process
                && peer.ProcessId == process.Id;
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
    }

    private void ReadUntilLost(ChildWorker worker)
    {
        Exception? failure = ChildReader.Run(worker, _events);
        worker.MarkDead();
        if (failure is ProtocolException)
        {
            worker.Kill(); // a protocol violation: don't trust the process any further.
        }

        int? exitCode = worker.WaitForExitCode(s_exitGrace);
        worker.CloseConnection();
        worker.ReleaseRegion();
        _events.OnLost(worker, new WorkerExit(exitCode, failure));
        Forget(worker);
    }

    private void OnConnectTimeout(ChildWorker worker)
    {
        lock (_lock)
        {
            if (!_starting.ContainsKey(worker.Key))
            {
                return;
            }
        }

        worker.Kill(); // OnProcessExited reports the failed start.
    }

    /// <summary>A worker exited. If it never connected, that is a failed start; otherwise its reader reports it.</summary>
    private void OnProcessExited(ChildWorker worker)
    {
        bool failedStart;
        lock (_lock)
        {
            failedStart = _starting.Remove(worker.Key);
        }

        if (!failedStart)
        {
            return;
        }

        int? exitCode = worker.WaitForExitCode(TimeSpan.Zero);
        Forget(worker);
        if (exitCode == WorkerArguments.MissingHookExitCode)
        {
            // A copy of this app ran the app instead of the worker (UnhookedWorkerGuard). Another start would do the same.
            _events.OnStartFailed(
                new WorkerStartException(
                    $"A worker process (a copy of this app) ran the app's own Main instead of the worker and exited. {UnhookedWorkerGuard.Advice} " +
                    $"Command line: {worker.CommandLine}"),
                mayRetry: false);
            return;
        }

        _events.OnStartFailed(
            new WorkerStartException(
                $"Worker processes exit before connecting to the pool (last exit code {exitCode?.ToString() ?? "unknown"}). " +
                $"Their standard error, above, usually says why. Command line: {worker.CommandLine}"),
            mayRetry: true);
    }

    /// <summary>
    /// True when starting a process failed for want of processes, memory or file descriptors (EAGAIN, ENOMEM, ENFILE,
    /// EMFILE; on Windows the matching errors), which another start a moment later may not meet; false for what
    /// will fail again (a missing or unrunnable host).
    /// </summary>
    internal static bool IsMomentary(Exception exception) =>
        exception is System.ComponentModel.Win32Exception { NativeErrorCode: int code }
        && (OperatingSystem.IsWindows()
            ? code is 4 or 8 or 14 or 1450 // too many open files, not enough memory / storage, no system resources
            : code is 12 or 23 or 24 || code == (OperatingSystem.IsLinux() ? 11 : 35)); // ENOMEM, ENFILE, EMFILE, EAGAIN

    /// <summary>
    /// Shared memory for one worker's frames, or null where there is none to be had (then the socket carries them):
    /// a memfd the worker maps through /proc before its Hello.
    /// </summary>
    private RingRegion? CreateRegion()
    {
        if (!_sharedMemory)
        {
            return null;
        }

        try
        {
            return RingRegion.Create();
        }
        catch (Exception exception) when (exception is System.IO.IOException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    private void Forget(ChildWorker worker)
    {
        lock (_lock)
        {
            _starting.Remove(worker.Key);
        }

        if (!worker.IsConnected)
        {
            worker.ReleaseRegion(); // it never connected: nothing reads or writes its rings
        }

        _live.Remove(worker);
    }
}

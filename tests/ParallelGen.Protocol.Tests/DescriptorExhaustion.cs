using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using Microsoft.Extensions.Logging;
using ParallelGen.Backends.Process;

namespace ParallelGen.Protocol.Tests;

/// <summary>
/// Runs inside a worker, so the damage stays there: lowers the process's open-file limit and runs a pool whose
/// listener the test then floods with connections from its own process, as another user's flood did, until accept()
/// fails for want of file descriptors. Then it asks that pool for new workers.
/// </summary>
public static partial class DescriptorExhaustion
{
    public const string AcceptFailed = "accept failed";

    private const int RlimitNofile = 7;
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Puts the pool's address into <paramref name="report"/>, then <see cref="AcceptFailed"/> once the listener has
    /// logged a failed accept.
    /// </summary>
    /// <returns>"ok: …" when replacement workers still started afterwards; otherwise what went wrong.</returns>
    public static string Serve(int headroom, ProcessQueue<string> report)
    {
        var logger = new AcceptFailureLogger();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxTasksPerChild = 1, Logger = logger });
        int first = pool.Apply(ProtocolJobs.Remote.ProcessId);

        // MaxTasksPerChild = 1: the first worker's replacement starts now. It must be up before the limit drops, or its
        // own start (pipes, the shared-memory region) would run out of descriptors instead of the accept this is about.
        var backend = (ProcessBackend)pool.WorkerBackend;
        if (!SpinWait.SpinUntil(() => backend.Workers.Any(worker => worker.IsConnected && worker.Process?.Id != first), s_wait))
        {
            return $"the first worker's replacement did not connect within {s_wait.TotalSeconds} s";
        }

        int open = OpenDescriptors();
        if (getrlimit(RlimitNofile, out RLimit original) != 0)
        {
            return $"getrlimit failed: errno {Marshal.GetLastPInvokeError()}";
        }

        var lowered = new RLimit { Current = (ulong)(open + headroom), Maximum = original.Maximum };
        if (setrlimit(RlimitNofile, ref lowered) != 0)
        {
            return $"setrlimit failed: errno {Marshal.GetLastPInvokeError()}";
        }

        report.Put(backend.Address);
        bool failed = logger.AcceptFailedEvent.Wait(s_wait);
        // A process at its descriptor limit is fragile in ways that have nothing to do with the listener (the .NET
        // runtime itself may abort): the limit goes back up as soon as the one accept() this test is about has failed.
        setrlimit(RlimitNofile, ref original);
        report.Put(failed ? AcceptFailed : "no failed accept() was logged");
        string replacements;
        try
        {
            int second = pool.ApplyAsync(ProtocolJobs.Remote.ProcessId).Get(s_wait);
            int third = pool.ApplyAsync(ProtocolJobs.Remote.ProcessId).Get(s_wait);
            replacements = $"workers {first}, then {second} and {third}";
        }
        catch (Exception exception) when (exception is WorkerStartException or TimeoutException)
        {
            return $"replacement workers did not start: {exception.GetType().Name}: {exception.Message}";
        }

        return failed
            ? $"ok: {open} descriptors open, limit {lowered.Current}, accept() failed with {logger.Error}; {replacements}"
            : $"no accept() failed within {s_wait.TotalSeconds} s with {open} descriptors open and a limit of {lowered.Current}; {replacements}";
    }

    /// <summary>How many descriptors this process has open; reading /proc takes one, so "all" when none is left.</summary>
    private static int OpenDescriptors()
    {
        try
        {
            return Directory.GetFileSystemEntries("/proc/self/fd").Length;
        }
        catch (IOException)
        {
            return int.MaxValue;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setrlimit(int resource, ref RLimit limit);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrlimit(int resource, out RLimit limit);

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    /// <summary>Signals the listener's "accepting a worker connection failed" warning.</summary>
    private sealed class AcceptFailureLogger : ILogger
    {
        public ManualResetEventSlim AcceptFailedEvent { get; } = new();

        public string Error { get; private set; } = "";

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 10 && !AcceptFailedEvent.IsSet)
            {
                Error = (exception as SocketException)?.SocketErrorCode.ToString() ?? formatter(state, exception);
                AcceptFailedEvent.Set();
            }
        }
    }
}

using System;

namespace ParallelGen;

/// <summary>
/// The worker process running a task exited (crash, <c>Environment.Exit</c>, kill, out of memory) before the
/// task finished. The pool has already started a replacement and stays usable.
/// </summary>
public sealed class WorkerCrashedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="processId">The worker's process id.</param>
    /// <param name="exitCode">Its exit code, when it could be read.</param>
    /// <param name="task">A description of the task it was running, when known.</param>
    /// <param name="innerException">Why the pool gave up on the worker, when it was not the worker's own exit
    /// (for example a <see cref="ProtocolException"/> for bytes that were not a valid frame).</param>
    public WorkerCrashedException(int processId, int? exitCode, string? task, Exception? innerException = null)
        : base(Describe(processId, exitCode, task), innerException)
    {
        ProcessId = processId;
        ExitCode = exitCode;
        Signal = SignalOf(exitCode);
    }

    /// <summary>The worker's process id.</summary>
    public int ProcessId { get; }

    /// <summary>The worker's exit code, or null if it could not be read.</summary>
    public int? ExitCode { get; }

    /// <summary>
    /// The signal that killed the worker, when the exit code says so (on Unix, 128 + N means "killed by signal N",
    /// e.g. 137 for SIGKILL), otherwise null.
    /// </summary>
    public int? Signal { get; }

    private static int? SignalOf(int? exitCode) =>
        !OperatingSystem.IsWindows() && exitCode is > 128 and < 128 + 65 ? exitCode - 128 : null;

    private static string Describe(int processId, int? exitCode, string? task)
    {
        string how = exitCode switch
        {
            null => "exited",
            _ when SignalOf(exitCode) is int signal => $"was killed by signal {signal} ({SignalName(signal)}, exit code {exitCode})",
            _ => $"exited with code {exitCode}",
        };
        string what = task is null ? "" : $" while running {task}";
        return $"Worker process {processId} {how}{what}.";
    }

    private static string SignalName(int signal) => signal switch
    {
        2 => "SIGINT",
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        15 => "SIGTERM",
        _ => "signal " + signal,
    };
}

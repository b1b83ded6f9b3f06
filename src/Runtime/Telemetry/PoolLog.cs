using System;
using Microsoft.Extensions.Logging;

namespace ParallelGen.Telemetry;

/// <summary>What a pool tells its <see cref="ILogger"/>: worker lifecycle and recoveries, never per-call chatter.</summary>
internal static partial class PoolLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Worker {ProcessId} connected")]
    public static partial void WorkerConnected(ILogger logger, int processId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Worker {ProcessId} exited with code {ExitCode}")]
    public static partial void WorkerExited(ILogger logger, int processId, int? exitCode);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Worker {ProcessId} died (exit code {ExitCode}) while running {Task}")]
    public static partial void WorkerCrashed(ILogger logger, int processId, int? exitCode, string task);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Retrying {Task} (attempt {Attempt}) after its worker {ProcessId} died")]
    public static partial void TaskRetried(ILogger logger, string task, int attempt, int processId);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "{Task} exceeded the task timeout of {Timeout}; stopping worker {ProcessId}")]
    public static partial void TaskTimedOut(ILogger logger, string task, TimeSpan timeout, int processId);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Workers cannot start; queued work fails")]
    public static partial void StartFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Worker {ProcessId} recycled after {Tasks} tasks")]
    public static partial void WorkerRecycled(ILogger logger, int processId, int tasks);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "Worker {ProcessId} broke the protocol and was stopped")]
    public static partial void ProtocolViolation(ILogger logger, int processId, Exception exception);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Worker {ProcessId} uses {ResidentBytes} bytes, more than MaxWorkerMemory ({Limit}); it will be replaced")]
    public static partial void WorkerOverMemory(ILogger logger, int processId, long residentBytes, long limit);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Accepting a worker connection failed ({Error}); retrying in {Backoff}")]
    public static partial void AcceptFailed(ILogger logger, System.Net.Sockets.SocketError error, TimeSpan backoff, Exception exception);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "A worker did not start; starting it again in {Delay}")]
    public static partial void StartRetrying(ILogger logger, TimeSpan delay, Exception exception);
}

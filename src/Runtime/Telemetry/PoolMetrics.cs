using System.Collections.Generic;
using System.Diagnostics.Metrics;

namespace ParallelGen.Telemetry;

/// <summary>
/// The pool's <see cref="System.Diagnostics.Metrics"/> instruments, under the meter "ParallelGen" (listen with
/// dotnet-counters, OpenTelemetry or a <see cref="MeterListener"/>). Silent unless someone listens.
/// </summary>
internal static class PoolMetrics
{
    public const string MeterName = "ParallelGen";

    private static readonly Meter s_meter = new(MeterName, "1.0");

    public static readonly Counter<long> TasksSubmitted = s_meter.CreateCounter<long>("parallelgen.tasks.submitted", "{task}", "Tasks queued (a map chunk is one task).");
    public static readonly Counter<long> TasksCompleted = s_meter.CreateCounter<long>("parallelgen.tasks.completed", "{task}", "Tasks finished, tagged by outcome: success, error, crash, timeout, cancelled, terminated.");
    public static readonly UpDownCounter<long> TasksRunning = s_meter.CreateUpDownCounter<long>("parallelgen.tasks.in_flight", "{task}", "Tasks sent to workers and not yet answered.");
    public static readonly Counter<long> WorkersStarted = s_meter.CreateCounter<long>("parallelgen.workers.started", "{process}", "Worker processes started, replacements included.");
    public static readonly Counter<long> WorkersCrashed = s_meter.CreateCounter<long>("parallelgen.workers.crashed", "{process}", "Workers that died while running a task.");
    public static readonly Counter<long> BytesSent = s_meter.CreateCounter<long>("parallelgen.bytes.sent", "By", "Call frames sent to workers.");
    public static readonly Counter<long> BytesReceived = s_meter.CreateCounter<long>("parallelgen.bytes.received", "By", "Result frames received from workers.");

    public static void Completed(string outcome)
    {
        if (TasksCompleted.Enabled)
        {
            TasksCompleted.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

public class TelemetryTests
{
    [Test]
    public void Metrics_CountOutcomesAndWorkers()
    {
        var recorded = new List<(string Instrument, long Value, string? Outcome)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ProcessPool.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? outcome = null;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "outcome")
                {
                    outcome = tag.Value as string;
                }
            }

            lock (recorded)
            {
                recorded.Add((instrument.Name, value, outcome));
            }
        });
        listener.Start();

        using (var pool = new ProcessPool(1))
        {
            pool.Apply(HandWrittenJobs.Remote.Square, 3);
            Should.Throw<RemoteException>(() => pool.Apply(HandWrittenJobs.Remote.Fail, "metric"));
            Should.Throw<WorkerCrashedException>(() => pool.Apply(HandWrittenJobs.Remote.Crash, 2));
        }

        lock (recorded)
        {
            recorded.ShouldContain(m => m.Instrument == "parallelgen.tasks.completed" && m.Outcome == "success");
            recorded.ShouldContain(m => m.Instrument == "parallelgen.tasks.completed" && m.Outcome == "error");
            recorded.ShouldContain(m => m.Instrument == "parallelgen.tasks.completed" && m.Outcome == "crash");
            recorded.ShouldContain(m => m.Instrument == "parallelgen.workers.crashed");
            recorded.ShouldContain(m => m.Instrument == "parallelgen.workers.started");
            recorded.ShouldContain(m => m.Instrument == "parallelgen.bytes.sent" && m.Value > 0);
        }
    }

    [Test]
    public void Activity_TheWorkersCallJoinsTheCallersTrace()
    {
        using var activity = new System.Diagnostics.Activity("caller");
        activity.SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C);
        activity.Start();
        SharedPool.Pool.Apply(HandWrittenJobs.Remote.CurrentTraceId).ShouldBe(activity.TraceId.ToHexString());
        activity.Stop();
        SharedPool.Pool.Apply(HandWrittenJobs.Remote.CurrentTraceId).ShouldBe("none");
    }

    [Test]
    public void Logger_HearsAboutACrashWithThePidAndTheTask()
    {
        var logger = new RecordingLogger();
        int pid;
        using (var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, Logger = logger }))
        {
            pid = pool.Apply(HandWrittenJobs.Remote.ProcessId);
            Should.Throw<WorkerCrashedException>(() => pool.Apply(HandWrittenJobs.Remote.Crash, 4));
        }

        logger.Entries.ShouldContain(e => e.Level == LogLevel.Warning && e.Message.Contains(pid.ToString()) && e.Message.Contains(nameof(HandWrittenJobs.Crash)));
    }

    private sealed class RecordingLogger : ILogger
    {
        private readonly List<(LogLevel Level, string Message)> _entries = new();

        public (LogLevel Level, string Message)[] Entries
        {
            get
            {
                lock (_entries)
                {
                    return _entries.ToArray();
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_entries)
            {
                _entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}

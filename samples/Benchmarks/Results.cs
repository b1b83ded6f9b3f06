using System.Collections.Generic;
using System.Linq;

namespace ParallelGen.Benchmarks;

/// <summary>(a): one call at a time, microseconds.</summary>
public sealed record LatencySummary(int Calls, double MedianUs, double MeanUs, double P90Us, double P99Us, double MinUs)
{
    public static LatencySummary From(IReadOnlyCollection<double> samplesUs)
    {
        List<double> s = samplesUs.Order().ToList();
        return new LatencySummary(s.Count, Stats.Median(s), s.Average(), Stats.Percentile(s, 90), Stats.Percentile(s, 99), s[0]);
    }
}

/// <summary>(b), (c), (f): items per second over <see cref="Runs"/> runs.</summary>
public sealed record ThroughputSummary(int Items, int Runs, double MedianItemsPerS, double BestItemsPerS, double MedianSeconds)
{
    public static ThroughputSummary From(int items, IReadOnlyCollection<double> seconds) =>
        new(items, seconds.Count, Stats.Median(seconds.Select(s => items / s)), seconds.Max(s => items / s), Stats.Median(seconds));
}

/// <summary>(d): payload MB (decimal) per round-trip second, as pool_bench.py reports it.</summary>
public sealed record PayloadSummary(int PayloadMb, int Runs, double MedianRoundTripMs, double BestRoundTripMs, double RoundTripMbPerS);

/// <summary>(e): construction to first result, milliseconds.</summary>
public sealed record ColdStartSummary(int Runs, double FirstResultMedianMs, double FirstResultVeryFirstMs, double FirstResultMinMs, double ConstructorMedianMs);

/// <summary>CPU-bound work: the same ranges run serially in this process and on the pool.</summary>
public sealed record CpuSummary(int Limit, int Ranges, int Primes, double SerialMedianS, double PoolMedianS, double SpeedUp);

/// <summary>Resident set size of idle workers, decimal MB.</summary>
public sealed record RssSummary(int Workers, double MeanMb, double MaxMb, string Note);

/// <summary>Everything ParallelGen measured in one run.</summary>
public sealed record OurResults
{
    public LatencySummary? ApplyLatency { get; set; }

    public ThroughputSummary? MapDefault { get; set; }

    public int MapDefaultChunkSize { get; set; }

    public ThroughputSummary? MapChunk1 { get; set; }

    public PayloadSummary? Payload { get; set; }

    public ColdStartSummary? ColdStart { get; set; }

    public ThroughputSummary? Unordered { get; set; }

    public CpuSummary? Cpu { get; set; }

    public RssSummary? RssFresh { get; set; }

    public RssSummary? RssAfterRun { get; set; }
}

/// <summary>What the table needs from pool_bench.py's JSON (its multiprocessing.Pool rows) and the RSS probe.</summary>
public sealed record PythonResults
{
    public string Version { get; init; } = "?";

    public string DefaultStartMethod { get; init; } = "?";

    public LatencySummary? ApplyLatency { get; init; }

    public ThroughputSummary? MapDefault { get; init; }

    public int MapDefaultChunkSize { get; init; }

    public ThroughputSummary? MapChunk1 { get; init; }

    public PayloadSummary? Payload { get; init; }

    /// <summary>Start method → construction to first result.</summary>
    public Dictionary<string, ColdStartSummary> ColdStart { get; init; } = new();

    public ThroughputSummary? Unordered { get; init; }

    public RssSummary? Rss { get; set; }
}

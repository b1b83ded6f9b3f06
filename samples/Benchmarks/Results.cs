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

/// <summary>Resident set size of the workers, decimal MB.</summary>
public sealed record RssSummary(int Workers, double MeanMb, double MaxMb);

/// <summary>CPU time used by the parent and its workers while the pool had no work, as % of one core.</summary>
public sealed record IdleCpuSummary(double Seconds, double ParentPercent, double WorkersPercent, double TotalPercent);

/// <summary>Idle worker RSS, worker RSS a second after the large payloads, and CPU burnt while idle.</summary>
public sealed record MemorySummary(RssSummary Idle, RssSummary AfterPayloads, IdleCpuSummary IdleCpu);

/// <summary>One size of the echo sweep: time per identity round trip and payload MB per second.</summary>
public sealed record EchoPoint(long Bytes, int Runs, double MedianMs, double BestMs, double MbPerS);

/// <summary>(a) and (c) on a pool of <see cref="Workers"/> processes.</summary>
public sealed record WorkersPoint(int Workers, LatencySummary Apply, ThroughputSummary Chunk1);

/// <summary>How cost grows: with the number of workers, and with the payload size.</summary>
public sealed record GrowthResults(IReadOnlyList<WorkersPoint> Workers, IReadOnlyList<EchoPoint> Echo);

/// <summary>
/// One side's figures for the cases every side runs: pool_bench.py's JSON (Python and the .NET peer write
/// the same keys) or ParallelGen's own run. Sections a side does not measure stay null.
/// </summary>
public sealed record SideResults
{
    public required string Name { get; init; }

    public LatencySummary? ApplyLatency { get; init; }

    public ThroughputSummary? MapDefault { get; init; }

    public int MapDefaultChunkSize { get; init; }

    public ThroughputSummary? MapChunk1 { get; init; }

    public PayloadSummary? Payload { get; init; }

    /// <summary>Start method (fork, spawn, forkserver; the peer and ParallelGen report "spawn") → construction to first result.</summary>
    public IReadOnlyDictionary<string, ColdStartSummary> ColdStart { get; init; } = new Dictionary<string, ColdStartSummary>();

    public ThroughputSummary? Unordered { get; init; }

    public CpuSummary? Cpu { get; init; }

    public MemorySummary? Memory { get; init; }

    /// <summary>ParallelGen only: the published samples/NativeAot app's idle workers' largest RSS (decimal MB); null when not measured.</summary>
    public double? NativeAotIdleRssMb { get; init; }

    public GrowthResults? Growth { get; init; }

    /// <summary>Python's default start method (for the footnotes); null for .NET sides.</summary>
    public string? StartMethod { get; init; }
}

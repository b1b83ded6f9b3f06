using System;

namespace ParallelGen.Benchmarks;

/// <summary>
/// Sizes of every case. The defaults and the <c>--quick</c> sizes are those of <c>pool_bench.py</c>
/// (its argparse defaults and its <c>--quick</c> branch), so both sides always run the same work.
/// </summary>
public sealed record BenchConfig
{
    public int Workers { get; init; } = 2;

    /// <summary>Runs per throughput case; the median and the best are reported.</summary>
    public int Repeat { get; init; } = 3;

    /// <summary>(a) timed calls, after <see cref="WarmupCalls"/> untimed ones.</summary>
    public int Calls { get; init; } = 2000;

    public int WarmupCalls { get; init; } = 200;

    /// <summary>(b) items, default chunk size.</summary>
    public int MapItems { get; init; } = 1_000_000;

    /// <summary>(c) items, chunk size 1.</summary>
    public int Chunk1Items { get; init; } = 20_000;

    /// <summary>(f) items, one task each.</summary>
    public int ImapItems { get; init; } = 10_000;

    /// <summary>(d) payload size in decimal megabytes.</summary>
    public int PayloadMb { get; init; } = 100;

    public int PayloadRuns { get; init; } = 5;

    /// <summary>(e) pools started.</summary>
    public int ColdRuns { get; init; } = 10;

    /// <summary>CPU-bound case: count primes below this bound, cut into <see cref="CpuRanges"/> equal ranges.</summary>
    public int CpuLimit { get; init; } = 8_000_000;

    public int CpuRanges { get; init; } = 32;

    /// <summary>How cost grows: (a) and (c) on a new pool of each of these sizes (8 oversubscribes 2 cores).</summary>
    public int[] GrowthWorkers { get; init; } = [1, 2, 4, 8];

    /// <summary>How cost grows: identity round trips at each of these sizes (bytes), on the main pool, after (d).</summary>
    public long[] EchoSizes { get; init; } = [1_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

    /// <summary>Length of the idle-CPU window: the pool has no work while this process and its workers are watched.</summary>
    public double IdleSeconds { get; init; } = 5;

    public bool Quick { get; init; }

    /// <summary>
    /// Timed echoes at one size of the sweep: about 200 MB moved per size (20 MB with --quick), at least 3 (2)
    /// and at most 200 (20) calls. python/bench_stats.py's echo_runs is the same rule.
    /// </summary>
    public int EchoRuns(long bytes)
    {
        (long low, long high, long budget) = Quick ? (2, 20, 20_000_000L) : (3, 200, 200_000_000L);
        return (int)Math.Max(low, Math.Min(high, budget / bytes));
    }

    public static BenchConfig Full { get; } = new();

    /// <summary>pool_bench.py --quick: repeat 1, 200 calls, 100k map, 2k chunk-1, 1k unordered, 10 MB x2, 2 cold starts;
    /// echoes up to 10 MB, a 2 s idle window.</summary>
    public static BenchConfig QuickRun { get; } = new()
    {
        Quick = true,
        Repeat = 1,
        Calls = 200,
        MapItems = 100_000,
        Chunk1Items = 2_000,
        ImapItems = 1_000,
        PayloadMb = 10,
        PayloadRuns = 2,
        ColdRuns = 2,
        CpuLimit = 1_000_000,
        CpuRanges = 8,
        EchoSizes = [1_000, 1_000_000, 10_000_000],
        IdleSeconds = 2,
    };
}

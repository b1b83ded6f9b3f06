using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Security.Cryptography;

namespace ParallelGen.Benchmarks;

/// <summary>
/// How cost grows: (a) and (c) on pools of 1, 2, 4 and 8 workers, and identity round trips from 1 KB to
/// 1 GB. python/pool_bench.py's <c>--growth-workers</c> and <c>--echo-sizes</c> run the same sweeps.
/// </summary>
public static class Growth
{
    /// <summary>(a) and (c) on a new, warmed-up pool of each size; more workers than cores oversubscribes them.</summary>
    public static WorkersPoint[] Workers(BenchConfig cfg)
    {
        var points = new List<WorkersPoint>();
        foreach (int workers in cfg.GrowthWorkers)
        {
            OurBench.Log($"ours: pool({workers}): (a) and (c)");
            using var pool = new ProcessPool(workers);
            OurBench.WarmUp(pool, cfg with { Workers = workers });
            LatencySummary apply = OurBench.ApplyLatency(pool, cfg);
            points.Add(new WorkersPoint(workers, apply, OurBench.MapChunk1(pool, cfg)));
        }

        return points.ToArray();
    }

    /// <summary>
    /// Median time per <c>Apply(Identity, bytes)</c> at each size. Sizes up to 100 MB get one checked warm-up
    /// echo; a 1 GB warm-up would double the sweep's time, so there the first timed echo is checked instead.
    /// </summary>
    public static EchoPoint[] EchoSweep(ProcessPool pool, BenchConfig cfg)
    {
        var points = new List<EchoPoint>();
        foreach (long size in cfg.EchoSizes)
        {
            OurBench.Log($"ours: echo {size:N0} bytes");
            byte[] payload = new byte[checked((int)size)];
            RandomNumberGenerator.Fill(payload);
            if (size <= 100_000_000)
            {
                Check(pool.Apply(Jobs.Remote.Identity, payload), payload);
            }

            var ms = new List<double>();
            int runs = cfg.EchoRuns(size);
            for (int i = 0; i < runs; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                byte[] echo = pool.Apply(Jobs.Remote.Identity, payload);
                ms.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                if (i == 0)
                {
                    Check(echo, payload);
                }
            }

            double median = Stats.Median(ms);
            points.Add(new EchoPoint(size, runs, median, ms.Min(), size / 1e6 / (median / 1000)));
        }

        return points.ToArray();
    }

    private static void Check(byte[] echo, byte[] payload)
    {
        if (!echo.AsSpan().SequenceEqual(payload))
        {
            throw new InvalidOperationException($"echo of {payload.Length:N0} bytes came back different");
        }
    }
}

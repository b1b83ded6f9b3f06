using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelGen.Benchmarks;

/// <summary>
/// The ParallelGen side: python/pool_bench.py's cases (a)–(f), case for case and in its order, through the
/// public API only, plus a CPU-bound case. Like pool_bench.py, every case uses one pool created and warmed up
/// before timing starts, except (e), which times the start-up and runs first, and the worker-count sweep
/// (<see cref="Growth"/>), which starts a pool per size.
/// </summary>
public static class OurBench
{
    private const double MB = 1_000_000; // decimal megabyte, as in pool_bench.py

    /// <param name="cfg">Sizes.</param>
    /// <param name="nativeAot">The published samples/NativeAot executable, whose own (e) fills the NativeAOT row; null: not measured.</param>
    public static async Task<SideResults> RunAsync(BenchConfig cfg, string? nativeAot)
    {
        Log("ours: (e) cold start");
        ColdStartSummary cold = ColdStart(cfg);
        var coldStarts = new Dictionary<string, ColdStartSummary> { ["spawn"] = cold };
        double? nativeAotRss = null;
        if (nativeAot is not null)
        {
            Log("ours: (e) cold start and idle RSS, NativeAOT");
            (coldStarts[NativeAotSide.Key], nativeAotRss) = NativeAotSide.Run(nativeAot, cfg);
        }

        SideResults main = await MainPoolAsync(cfg).ConfigureAwait(false);

        // After the main pool is gone, as pool_bench.py runs its sweep after leaving `with mp.Pool(...)`.
        WorkersPoint[] workers = Growth.Workers(cfg);
        return main with
        {
            ColdStart = coldStarts,
            NativeAotIdleRssMb = nativeAotRss,
            Growth = main.Growth! with { Workers = workers },
        };
    }

    /// <summary>Every case on one warmed-up pool of <see cref="BenchConfig.Workers"/>, in pool_bench.py's order.</summary>
    private static async Task<SideResults> MainPoolAsync(BenchConfig cfg)
    {
        using var pool = new ProcessPool(cfg.Workers);
        WarmUp(pool, cfg);
        int[] pids = WorkerPids(pool);
        RssSummary idleRss = ProcStats.Rss(pids);

        Log("ours: (a) apply latency");
        LatencySummary apply = ApplyLatency(pool, cfg);

        Log("ours: (b) map 1M default chunk size");
        int n = cfg.MapItems;
        ThroughputSummary mapDefault = Throughput(n, cfg.Repeat, () => pool.Map(Jobs.Remote.Trivial, Enumerable.Range(0, n)));

        Log("ours: (c) map chunkSize 1");
        ThroughputSummary chunk1 = MapChunk1(pool, cfg);

        Log("ours: (d) payload round trip");
        PayloadSummary payload = PayloadRoundTrip(pool, cfg);

        Log("ours: (f) ImapUnordered");
        var seconds = new List<double>();
        for (int r = 0; r < cfg.Repeat; r++)
        {
            seconds.Add(await TimedAsync(() => UnorderedAsync(pool, cfg.ImapItems)).ConfigureAwait(false));
        }

        Log("ours: CPU-bound, 2 workers vs serial");
        CpuSummary cpu = CpuBound(pool, cfg);

        EchoPoint[] echo = Growth.EchoSweep(pool, cfg);

        Thread.Sleep(TimeSpan.FromSeconds(1)); // "about a second after the large payloads end", as pool_bench.py
        RssSummary afterRss = ProcStats.Rss(pids);
        Log($"ours: idle CPU over {cfg.IdleSeconds} s");
        IdleCpuSummary idleCpu = ProcStats.IdleCpu(pids, cfg.IdleSeconds);

        return new SideResults
        {
            Name = "ParallelGen",
            ApplyLatency = apply,
            MapDefault = mapDefault,
            MapDefaultChunkSize = PythonChunkSize(cfg.MapItems, cfg.Workers),
            MapChunk1 = chunk1,
            Payload = payload,
            Unordered = ThroughputSummary.From(cfg.ImapItems, seconds),
            Cpu = cpu,
            Memory = new MemorySummary(idleRss, afterRss, idleCpu),
            Growth = new GrowthResults([], echo),
        };
    }

    /// <summary>pool_bench.py's warm_up_pool: every worker has started and run something.</summary>
    public static void WarmUp(ProcessPool pool, BenchConfig cfg) =>
        pool.Map(Jobs.Remote.Trivial, Enumerable.Range(0, cfg.Workers * 50), chunkSize: 1);

    /// <summary>multiprocessing.Pool's default map chunk size, which ProcessPool copies.</summary>
    public static int PythonChunkSize(int items, int workers)
    {
        int chunk = Math.DivRem(items, workers * 4, out int extra);
        return extra != 0 ? chunk + 1 : chunk;
    }

    private static ColdStartSummary ColdStart(BenchConfig cfg)
    {
        var firstResult = new List<double>();
        var constructor = new List<double>();
        for (int i = 0; i < cfg.ColdRuns; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            var pool = new ProcessPool(cfg.Workers);
            long t1 = Stopwatch.GetTimestamp();
            pool.Apply(Jobs.Remote.Trivial, 1);
            long t2 = Stopwatch.GetTimestamp();
            pool.Dispose(); // outside the timer, like pool.terminate(); pool.join()
            constructor.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
            firstResult.Add(Stopwatch.GetElapsedTime(t0, t2).TotalMilliseconds);
        }

        return new ColdStartSummary(cfg.ColdRuns, Stats.Median(firstResult), firstResult[0], firstResult.Min(), Stats.Median(constructor));
    }

    /// <summary>(a) untimed calls, then timed ones, one at a time.</summary>
    public static LatencySummary ApplyLatency(ProcessPool pool, BenchConfig cfg)
    {
        for (int i = 0; i < cfg.WarmupCalls; i++)
        {
            pool.Apply(Jobs.Remote.Trivial, i);
        }

        var samples = new double[cfg.Calls];
        for (int i = 0; i < cfg.Calls; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            pool.Apply(Jobs.Remote.Trivial, i);
            samples[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
        }

        return LatencySummary.From(samples);
    }

    /// <summary>(c) Map with chunkSize 1: one task per item.</summary>
    public static ThroughputSummary MapChunk1(ProcessPool pool, BenchConfig cfg) =>
        Throughput(cfg.Chunk1Items, cfg.Repeat, () => pool.Map(Jobs.Remote.Trivial, Enumerable.Range(0, cfg.Chunk1Items), chunkSize: 1));

    private static ThroughputSummary Throughput(int items, int repeat, Action run)
    {
        var seconds = new List<double>();
        for (int r = 0; r < repeat; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            run();
            seconds.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }

        return ThroughputSummary.From(items, seconds);
    }

    private static PayloadSummary PayloadRoundTrip(ProcessPool pool, BenchConfig cfg)
    {
        byte[] payload = new byte[checked(cfg.PayloadMb * (int)MB)];
        RandomNumberGenerator.Fill(payload); // random bytes, as os.urandom: nothing compresses
        byte[] echo = pool.Apply(Jobs.Remote.Identity, payload); // warm-up; also checks the echo
        if (!echo.AsSpan().SequenceEqual(payload))
        {
            throw new InvalidOperationException("payload echo mismatch");
        }

        echo = [];
        var times = new List<double>();
        for (int i = 0; i < cfg.PayloadRuns; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            echo = pool.Apply(Jobs.Remote.Identity, payload);
            times.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
            GC.KeepAlive(echo);
            echo = [];
        }

        double median = Stats.Median(times);
        return new PayloadSummary(cfg.PayloadMb, times.Count, median * 1000, times.Min() * 1000, cfg.PayloadMb / median);
    }

    /// <summary>(f) pool_bench.py's imap_unordered: ImapUnorderedAsync with the default chunkSize 1, fully consumed.</summary>
    private static async Task UnorderedAsync(ProcessPool pool, int n)
    {
        int seen = 0;
        await foreach (int _ in pool.ImapUnorderedAsync(Jobs.Remote.Trivial, Enumerable.Range(0, n)).ConfigureAwait(false))
        {
            seen++;
        }

        if (seen != n)
        {
            throw new InvalidOperationException($"saw {seen} of {n} results");
        }
    }

    private static async Task<double> TimedAsync(Func<Task> run)
    {
        long t0 = Stopwatch.GetTimestamp();
        await run().ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    private static CpuSummary CpuBound(ProcessPool pool, BenchConfig cfg)
    {
        int step = cfg.CpuLimit / cfg.CpuRanges;
        (int, int)[] ranges = Enumerable.Range(0, cfg.CpuRanges)
            .Select(i => (i * step, i == cfg.CpuRanges - 1 ? cfg.CpuLimit : (i + 1) * step))
            .ToArray();

        // Warm the serial path's JIT too, so both sides run optimized code.
        _ = Jobs.CountPrimes(0, 100_000);
        _ = pool.Map(Jobs.Remote.CountPrimes, [(0, 100_000), (0, 100_000)], chunkSize: 1);

        var serial = new List<double>();
        var parallel = new List<double>();
        int primesSerial = 0;
        int primesPool = 0;
        for (int r = 0; r < cfg.Repeat; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            primesSerial = ranges.Sum(range => Jobs.CountPrimes(range.Item1, range.Item2));
            serial.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);

            t0 = Stopwatch.GetTimestamp();
            primesPool = pool.Map(Jobs.Remote.CountPrimes, ranges, chunkSize: 1).Sum();
            parallel.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }

        if (primesSerial != primesPool)
        {
            throw new InvalidOperationException($"prime counts differ: serial {primesSerial}, pool {primesPool}");
        }

        double s = Stats.Median(serial);
        double p = Stats.Median(parallel);
        return new CpuSummary(cfg.CpuLimit, cfg.CpuRanges, primesPool, s, p, s / p);
    }

    /// <summary>Every worker's pid, from the Pid job (several calls at once, which the scheduler spreads over the workers).</summary>
    private static int[] WorkerPids(ProcessPool pool)
    {
        var pids = new HashSet<int>();
        for (int round = 0; round < 50 && pids.Count < pool.Processes; round++)
        {
            AsyncResult<int>[] probes = Enumerable.Range(0, pool.Processes * 2).Select(_ => pool.ApplyAsync(Jobs.Remote.Pid)).ToArray();
            foreach (AsyncResult<int> probe in probes)
            {
                pids.Add(probe.Get());
            }
        }

        return pids.Order().ToArray();
    }

    public static void Log(string message) => Console.Error.WriteLine(message);
}

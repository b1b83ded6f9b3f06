using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using ParallelGen;
using ParallelGen.Benchmarks;

namespace NativeAot;

/// <summary>
/// Case (e) of samples/Benchmarks for this app as published: <c>NativeAot --bench-start RUNS WORKERS</c> starts
/// <c>new ProcessPool(WORKERS)</c> RUNS times, times each to its first <c>Apply</c> result (the pool is disposed
/// outside the timer, as pool_bench.py tears its pools down), and prints one JSON object with the median, the
/// first and the fastest start, and the idle workers' largest RSS. The benchmark runner reads it for its "(e) same, NativeAOT" row.
/// </summary>
public static class StartBench
{
    public const string Flag = "--bench-start";

    public static int Run(string[] args)
    {
        int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        int workers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2;
        var firstResult = new List<double>();
        var constructor = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            var pool = new ProcessPool(workers);
            long t1 = Stopwatch.GetTimestamp();
            int square = pool.Apply(Jobs.Remote.Square, 7);
            long t2 = Stopwatch.GetTimestamp();
            pool.Dispose();
            if (square != 49)
            {
                Console.Error.WriteLine($"Square(7) returned {square}");
                return 1;
            }

            constructor.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
            firstResult.Add(Stopwatch.GetElapsedTime(t0, t2).TotalMilliseconds);
        }

        double idleRssMb = IdleWorkerRssMb(workers);

        // Written by hand: System.Text.Json's reflection path is not available under NativeAOT without a source-generated context.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"runs\": {runs}, \"workers\": {workers}, \"firstResultMedianMs\": {Stats.Median(firstResult):R}, \"firstResultVeryFirstMs\": {firstResult[0]:R}, " +
            $"\"firstResultMinMs\": {firstResult.Min():R}, \"constructorMedianMs\": {Stats.Median(constructor):R}, \"idleWorkerRssMaxMb\": {idleRssMb:R}}}"));
        return 0;
    }

    /// <summary>
    /// The runner's idle RSS row for these workers: a pool warmed up as the runner's (100 calls, chunk size 1), its
    /// workers' pids from a job, then right away the largest VmRSS (decimal MB), with nothing running.
    /// </summary>
    private static double IdleWorkerRssMb(int workers)
    {
        using var pool = new ProcessPool(workers);
        pool.Map(Jobs.Remote.Square, Enumerable.Range(0, workers * 50), chunkSize: 1);
        var pids = new HashSet<int>();
        for (int round = 0; round < 50 && pids.Count < workers; round++)
        {
            foreach (var probe in Enumerable.Range(0, workers * 2).Select(_ => pool.ApplyAsync(Jobs.Remote.WorkerId)).ToArray())
            {
                pids.Add(probe.Get());
            }
        }

        return pids.Max(pid => ResidentKilobytes(pid)) * 1024 / 1e6;
    }

    private static long ResidentKilobytes(int pid)
    {
        foreach (string line in System.IO.File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}

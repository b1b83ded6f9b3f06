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
/// first and the fastest start. The benchmark runner reads it for its "(e) same, NativeAOT" row.
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

        // Written by hand: System.Text.Json's reflection path is not available under NativeAOT without a source-generated context.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"runs\": {runs}, \"workers\": {workers}, \"firstResultMedianMs\": {Stats.Median(firstResult):R}, \"firstResultVeryFirstMs\": {firstResult[0]:R}, " +
            $"\"firstResultMinMs\": {firstResult.Min():R}, \"constructorMedianMs\": {Stats.Median(constructor):R}}}"));
        return 0;
    }
}

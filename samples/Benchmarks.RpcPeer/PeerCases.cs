using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace ParallelGen.Benchmarks.RpcPeer;

/// <summary>
/// pool_bench.py's cases on <see cref="RpcPool"/>, with its sizes, warm-up and statistics, written as its
/// JSON (<c>cold_start.spawn</c> and <c>pool.*</c>) so the runner reads both with one parser.
/// </summary>
public static class PeerCases
{
    private const int MB = 1_000_000; // decimal megabyte, as in pool_bench.py

    /// <summary>(e): start the children, wait until all connect, first result; torn down outside the timer.</summary>
    public static async Task<JsonObject> ColdStartAsync(PeerOptions o)
    {
        List<double> first = [];
        List<double> constructor = [];
        for (int r = 0; r < o["cold-runs"]; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            RpcPool cold = await RpcPool.StartAsync(o["workers"]).ConfigureAwait(false);
            constructor.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            Check(await cold.Trivial(1).ConfigureAwait(false) == 1, "cold start result");
            first.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            await cold.DisposeAsync().ConfigureAwait(false);
        }

        return new JsonObject
        {
            ["runs"] = first.Count,
            ["pool_first_result_median_ms"] = Math.Round(Stats.Median(first), 1),
            ["pool_first_result_very_first_ms"] = Math.Round(first[0], 1),
            ["pool_first_result_min_ms"] = Math.Round(first.Min(), 1),
            ["pool_constructor_median_ms"] = Math.Round(Stats.Median(constructor), 1),
        };
    }

    /// <summary>(a) 200 warm-up then sequential calls, one at a time.</summary>
    public static async Task<JsonObject> ApplyLatencyAsync(RpcPool pool, int calls)
    {
        for (int i = 0; i < 200; i++)
        {
            await pool.Trivial(i).ConfigureAwait(false);
        }

        var us = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            int back = await pool.Trivial(i).ConfigureAwait(false);
            us[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            Check(back == i, "Trivial echo");
        }

        Array.Sort(us);
        return new JsonObject
        {
            ["calls"] = us.Length,
            ["median_us"] = Math.Round(Stats.Median(us), 1),
            ["mean_us"] = Math.Round(us.Average(), 1),
            ["p90_us"] = Math.Round(Stats.Percentile(us, 90), 1),
            ["p99_us"] = Math.Round(Stats.Percentile(us, 99), 1),
            ["min_us"] = Math.Round(us[0], 1),
        };
    }

    /// <summary>(b) no map in StreamJsonRpc: the items go as concurrent batch calls of Pool's default chunk size.</summary>
    public static async Task<JsonObject> MapBatchedAsync(RpcPool pool, int n, int workers, int repeat)
    {
        int chunk = (n + (4 * workers) - 1) / (4 * workers);
        int[] input = Enumerable.Range(0, n).ToArray();
        int[] mapped = [];
        JsonObject result = await ThroughputAsync(n, repeat, async () =>
        {
            var batches = new List<Task<int[]>>();
            for (int lo = 0; lo < n; lo += chunk)
            {
                batches.Add(pool.TrivialBatch(input[lo..Math.Min(n, lo + chunk)]));
            }

            mapped = (await Task.WhenAll(batches).ConfigureAwait(false)).SelectMany(x => x).ToArray();
        }).ConfigureAwait(false);
        Check(mapped.AsSpan().SequenceEqual(input), "TrivialBatch echo");
        result["chunksize"] = chunk;
        result["note"] = $"no map in StreamJsonRpc: {(n + chunk - 1) / chunk} concurrent calls of int[] TrivialBatch(int[]) of {chunk} ints";
        return result;
    }

    /// <summary>(c) one call per item, all in flight, awaited together.</summary>
    public static Task<JsonObject> ConcurrentCallsAsync(RpcPool pool, int n, int repeat) =>
        ThroughputAsync(n, repeat, () => Task.WhenAll(Enumerable.Range(0, n).Select(pool.Trivial)));

    /// <summary>(f) one call per item, all in flight, consumed in completion order.</summary>
    public static Task<JsonObject> CompletionOrderAsync(RpcPool pool, int n, int repeat) =>
        ThroughputAsync(n, repeat, async () =>
        {
            int seen = 0;
            await foreach (Task<int> done in Task.WhenEach(Enumerable.Range(0, n).Select(pool.Trivial)).ConfigureAwait(false))
            {
                await done.ConfigureAwait(false);
                seen++;
            }

            Check(seen == n, "completion-order count");
        });

    /// <summary>(d) random bytes through Identity: one checked warm-up, then timed round trips.</summary>
    public static async Task<JsonObject> PayloadAsync(RpcPool pool, int mb, int runs)
    {
        byte[] payload = RandomNumberGenerator.GetBytes(mb * MB);
        Check((await pool.Identity(payload).ConfigureAwait(false)).AsSpan().SequenceEqual(payload), "payload echo");
        var seconds = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            seconds.Add(await SecondsAsync(() => pool.Identity(payload)).ConfigureAwait(false));
        }

        double median = Stats.Median(seconds);
        return new JsonObject
        {
            ["payload_mb"] = mb,
            ["runs"] = seconds.Count,
            ["median_roundtrip_ms"] = Math.Round(median * 1000, 1),
            ["best_roundtrip_ms"] = Math.Round(seconds.Min() * 1000, 1),
            ["roundtrip_mb_per_s"] = Math.Round(mb / median),
            ["bytes_moved_mb_per_s"] = Math.Round(2 * mb / median),
        };
    }

    private static async Task<JsonObject> ThroughputAsync(int items, int repeat, Func<Task> run)
    {
        var seconds = new List<double>();
        for (int r = 0; r < repeat; r++)
        {
            seconds.Add(await SecondsAsync(run).ConfigureAwait(false));
        }

        return new JsonObject
        {
            ["items"] = items,
            ["runs"] = seconds.Count,
            ["median_items_per_s"] = Math.Round(Stats.Median(seconds.Select(s => items / s))),
            ["best_items_per_s"] = Math.Round(seconds.Max(s => items / s)),
            ["median_seconds"] = Math.Round(Stats.Median(seconds), 4),
        };
    }

    private static async Task<double> SecondsAsync(Func<Task> run)
    {
        long t0 = Stopwatch.GetTimestamp();
        await run().ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    private static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"check failed: {what}");
        }
    }
}

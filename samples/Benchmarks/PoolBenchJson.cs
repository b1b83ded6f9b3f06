using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace ParallelGen.Benchmarks;

/// <summary>
/// Reads the JSON that python/pool_bench.py and the .NET peer write (the same keys: <c>pool.*</c>,
/// <c>cold_start.&lt;method&gt;</c>, and Python's <c>memory</c> and <c>growth</c>). Sections a side lacks stay null.
/// </summary>
public static class PoolBenchJson
{
    public static SideResults Parse(string name, string jsonText)
    {
        using JsonDocument doc = JsonDocument.Parse(jsonText);
        JsonElement root = doc.RootElement;
        JsonElement pool = root.GetProperty("pool");
        var cold = new Dictionary<string, ColdStartSummary>();
        foreach (JsonProperty method in root.GetProperty("cold_start").EnumerateObject())
        {
            JsonElement m = method.Value;
            cold[method.Name] = new ColdStartSummary(
                m.GetProperty("runs").GetInt32(),
                m.GetProperty("pool_first_result_median_ms").GetDouble(),
                m.GetProperty("pool_first_result_very_first_ms").GetDouble(),
                m.GetProperty("pool_first_result_min_ms").GetDouble(),
                m.GetProperty("pool_constructor_median_ms").GetDouble());
        }

        JsonElement d = pool.GetProperty("d_payload_100mb");
        return new SideResults
        {
            Name = name,
            StartMethod = root.GetProperty("conditions").TryGetProperty("default_start_method", out JsonElement sm) ? sm.GetString() : null,
            ApplyLatency = Latency(pool.GetProperty("a_apply_latency")),
            MapDefault = Throughput(pool.GetProperty("b_map_1m_default")),
            MapDefaultChunkSize = pool.GetProperty("b_map_1m_default").GetProperty("chunksize").GetInt32(),
            MapChunk1 = Throughput(pool.GetProperty("c_map_chunksize1")),
            Payload = new PayloadSummary(
                d.GetProperty("payload_mb").GetInt32(),
                d.GetProperty("runs").GetInt32(),
                d.GetProperty("median_roundtrip_ms").GetDouble(),
                d.GetProperty("best_roundtrip_ms").GetDouble(),
                d.GetProperty("roundtrip_mb_per_s").GetDouble()),
            ColdStart = cold,
            Unordered = Throughput(pool.GetProperty("f_imap_unordered_10k")),
            Memory = root.TryGetProperty("memory", out JsonElement memory) ? Memory(memory) : null,
            Growth = root.TryGetProperty("growth", out JsonElement growth) ? Growth(growth) : null,
        };
    }

    /// <summary>The "Python x.y.z" version that pool_bench.py recorded.</summary>
    public static string? Version(string jsonText)
    {
        using JsonDocument doc = JsonDocument.Parse(jsonText);
        return doc.RootElement.GetProperty("conditions").TryGetProperty("python", out JsonElement v) ? v.GetString() : null;
    }

    private static LatencySummary Latency(JsonElement a) => new(
        a.GetProperty("calls").GetInt32(),
        a.GetProperty("median_us").GetDouble(),
        a.GetProperty("mean_us").GetDouble(),
        a.GetProperty("p90_us").GetDouble(),
        a.GetProperty("p99_us").GetDouble(),
        a.GetProperty("min_us").GetDouble());

    private static ThroughputSummary Throughput(JsonElement e) => new(
        e.GetProperty("items").GetInt32(),
        e.GetProperty("runs").GetInt32(),
        e.GetProperty("median_items_per_s").GetDouble(),
        e.GetProperty("best_items_per_s").GetDouble(),
        e.GetProperty("median_seconds").GetDouble());

    private static MemorySummary Memory(JsonElement m)
    {
        JsonElement cpu = m.GetProperty("idle_cpu");
        return new MemorySummary(
            Rss(m.GetProperty("idle_rss_mb")),
            Rss(m.GetProperty("rss_after_payload_mb")),
            new IdleCpuSummary(
                cpu.GetProperty("seconds").GetDouble(),
                cpu.GetProperty("parent_percent").GetDouble(),
                cpu.GetProperty("workers_percent").GetDouble(),
                cpu.GetProperty("total_percent").GetDouble()));
    }

    private static RssSummary Rss(JsonElement perWorkerMb)
    {
        double[] mb = perWorkerMb.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetDouble()).ToArray();
        return mb.Length == 0 ? new RssSummary(0, double.NaN, double.NaN) : new RssSummary(mb.Length, mb.Average(), mb.Max());
    }

    private static GrowthResults Growth(JsonElement g)
    {
        var workers = new List<WorkersPoint>();
        foreach (JsonProperty size in g.GetProperty("workers").EnumerateObject())
        {
            workers.Add(new WorkersPoint(
                int.Parse(size.Name, CultureInfo.InvariantCulture),
                Latency(size.Value.GetProperty("a_apply_latency")),
                Throughput(size.Value.GetProperty("c_map_chunksize1"))));
        }

        var echo = new List<EchoPoint>();
        foreach (JsonElement point in g.GetProperty("echo").EnumerateArray())
        {
            echo.Add(new EchoPoint(
                point.GetProperty("bytes").GetInt64(),
                point.GetProperty("runs").GetInt32(),
                point.GetProperty("median_ms").GetDouble(),
                point.GetProperty("best_ms").GetDouble(),
                point.GetProperty("mb_per_s").GetDouble()));
        }

        return new GrowthResults(workers, echo);
    }
}

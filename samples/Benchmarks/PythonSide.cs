using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ParallelGen.Benchmarks;

/// <summary>Runs pool_bench.py (and a small RSS probe) with the same interpreter, and reads its JSON.</summary>
public static class PythonSide
{
    /// <summary>
    /// Worker RSS of an idle, warmed-up multiprocessing.Pool, measured like ours (pids from the workers
    /// themselves, VmRSS from /proc). pool_bench.py has no memory case, so this probe stands beside it.
    /// </summary>
    private const string RssProbe = """
        import multiprocessing as mp, os, sys
        def trivial(x): return x
        def pid(_): return os.getpid()
        def rss_mb(p):
            for line in open(f"/proc/{p}/status"):
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024 / 1e6
        if __name__ == "__main__":
            w = int(sys.argv[1])
            with mp.Pool(w) as pool:
                pool.map(trivial, range(w * 50), chunksize=1)
                pids = set()
                while len(pids) < w:
                    pids |= set(pool.map(pid, range(w * 50), chunksize=1))
                print(" ".join(str(rss_mb(p)) for p in pids))
        """;

    public static PythonResults Run(string pythonExe, string script, BenchConfig cfg, bool fullExecutorRun)
    {
        string json = Path.Combine(Path.GetTempPath(), $"pool_bench-{Environment.ProcessId}.json");
        var start = new ProcessStartInfo(pythonExe) { UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("--json");
        start.ArgumentList.Add(json);
        start.ArgumentList.Add("--workers");
        start.ArgumentList.Add(cfg.Workers.ToString(CultureInfo.InvariantCulture));
        if (cfg.Quick)
        {
            start.ArgumentList.Add("--quick");
        }

        if (!fullExecutorRun)
        {
            // ProcessPoolExecutor.map(chunksize=1) over 1M items takes minutes and is not compared here.
            start.ArgumentList.Add("--skip-ppe-default-map");
        }

        OurBench.Log($"python: {pythonExe} {string.Join(' ', start.ArgumentList)}");
        string table = RunToEnd(start, out int exitCode);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"pool_bench.py exited with code {exitCode}");
        }

        Console.WriteLine("pool_bench.py's own table (multiprocessing.Pool and ProcessPoolExecutor):");
        Console.WriteLine(table.TrimEnd());
        Console.WriteLine();

        PythonResults result = Parse(File.ReadAllText(json));
        File.Delete(json);
        result.Rss = MeasureRss(pythonExe, cfg.Workers);
        return result;
    }

    public static PythonResults Parse(string jsonText)
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

        JsonElement a = pool.GetProperty("a_apply_latency");
        JsonElement d = pool.GetProperty("d_payload_100mb");
        return new PythonResults
        {
            Version = root.GetProperty("conditions").GetProperty("python").GetString() ?? "?",
            DefaultStartMethod = root.GetProperty("conditions").GetProperty("default_start_method").GetString() ?? "?",
            ApplyLatency = new LatencySummary(
                a.GetProperty("calls").GetInt32(),
                a.GetProperty("median_us").GetDouble(),
                a.GetProperty("mean_us").GetDouble(),
                a.GetProperty("p90_us").GetDouble(),
                a.GetProperty("p99_us").GetDouble(),
                a.GetProperty("min_us").GetDouble()),
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
        };
    }

    private static ThroughputSummary Throughput(JsonElement e) => new(
        e.GetProperty("items").GetInt32(),
        e.GetProperty("runs").GetInt32(),
        e.GetProperty("median_items_per_s").GetDouble(),
        e.GetProperty("best_items_per_s").GetDouble(),
        e.GetProperty("median_seconds").GetDouble());

    private static RssSummary? MeasureRss(string pythonExe, int workers)
    {
        string probe = Path.Combine(Path.GetTempPath(), $"pool_rss-{Environment.ProcessId}.py");
        File.WriteAllText(probe, RssProbe);
        try
        {
            var start = new ProcessStartInfo(pythonExe) { UseShellExecute = false, RedirectStandardOutput = true };
            start.ArgumentList.Add(probe);
            start.ArgumentList.Add(workers.ToString(CultureInfo.InvariantCulture));
            string output = RunToEnd(start, out int exitCode);
            if (exitCode != 0)
            {
                OurBench.Log($"python RSS probe exited with code {exitCode}; no Python RSS figure");
                return null;
            }

            var mb = new List<double>();
            foreach (string value in output.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                mb.Add(double.Parse(value, CultureInfo.InvariantCulture));
            }

            return new RssSummary(mb.Count, mb.Count == 0 ? double.NaN : mb.Average(), mb.Count == 0 ? double.NaN : mb.Max(), "idle Pool worker after warm-up (default start method)");
        }
        finally
        {
            File.Delete(probe);
        }
    }

    private static string RunToEnd(ProcessStartInfo start, out int exitCode)
    {
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + start.FileName);
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        exitCode = process.ExitCode;
        return output;
    }
}

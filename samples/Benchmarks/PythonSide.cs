using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace ParallelGen.Benchmarks;

/// <summary>
/// Runs python/pool_bench.py (shipped in this program's output folder, so a fresh clone has it) with the
/// runner's sizes, and reads its JSON. <c>--python PATH</c> runs another script with the same flags and JSON.
/// </summary>
public static class PythonSide
{
    public const string BundledScript = "python/pool_bench.py";

    public static string? FindScript(string? given)
    {
        if (given is null)
        {
            return ChildRun.Bundled(BundledScript);
        }

        return File.Exists(given) ? Path.GetFullPath(given) : null;
    }

    /// <returns>The results, and pool_bench.py's own table (its ProcessPoolExecutor rows are not in the runner's table).</returns>
    public static (SideResults Results, string Version, string Table) Run(string pythonExe, string script, BenchConfig cfg, bool fullExecutorRun)
    {
        string json = Path.Combine(Path.GetTempPath(), $"pool_bench-{Environment.ProcessId}.json");
        var start = new ProcessStartInfo(pythonExe);
        foreach (string arg in Arguments(script, json, cfg, fullExecutorRun))
        {
            start.ArgumentList.Add(arg);
        }

        string table = ChildRun.Run(start);
        string text = File.ReadAllText(json);
        File.Delete(json);
        return (PoolBenchJson.Parse("Python", text), PoolBenchJson.Version(text) ?? "?", table.Trim());
    }

    private static string[] Arguments(string script, string json, BenchConfig cfg, bool fullExecutorRun)
    {
        string Csv<T>(T[] values) => string.Join(',', values.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v}")));
        string[] args =
        [
            script, "--json", json,
            "--workers", Csv([cfg.Workers]),
            "--idle-seconds", Csv([cfg.IdleSeconds]),
            "--growth-workers", Csv(cfg.GrowthWorkers),
            "--echo-sizes", Csv(cfg.EchoSizes),
        ];
        if (cfg.Quick)
        {
            args = [.. args, "--quick"];
        }

        // ProcessPoolExecutor.map(chunksize=1) over 1M items takes minutes and is not compared here.
        return fullExecutorRun ? args : [.. args, "--skip-ppe-default-map"];
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ParallelGen.Benchmarks;

/// <summary>
/// The side-by-side table: case | Python Pool(2) | ParallelGen | ratio | target (issue 6) | met.
/// The ratio is always "how many times better ParallelGen is": ours/Python for throughputs,
/// Python/ours for latencies, times and memory. Printed as Markdown, so it pastes into docs as is.
/// </summary>
public static class Report
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    public static string Table(OurResults ours, PythonResults? py, BenchConfig cfg)
    {
        var rows = new List<string[]>();
        string workers = cfg.Workers.ToString(s_inv);

        LatencySummary a = ours.ApplyLatency!;
        LatencySummary? pa = py?.ApplyLatency;
        rows.Add(Row("(a) apply round trip, median", pa?.MedianUs, a.MedianUs, Us, lowerIsBetter: true, target: 5, "≥ 5× faster"));
        rows.Add(Row("(a) apply round trip, p90", pa?.P90Us, a.P90Us, Us, lowerIsBetter: true, target: null, "—"));
        rows.Add(Row("(a) apply round trip, p99", pa?.P99Us, a.P99Us, Us, lowerIsBetter: true, target: null, "—"));

        rows.Add(Row($"(b) map {ours.MapDefault!.Items:N0} ints, default chunks (chunk {ours.MapDefaultChunkSize:N0})",
            py?.MapDefault?.MedianItemsPerS, ours.MapDefault.MedianItemsPerS, PerS, lowerIsBetter: false, target: 5, "≥ 5×"));
        rows.Add(Row($"(c) map {ours.MapChunk1!.Items:N0} ints, chunkSize 1",
            py?.MapChunk1?.MedianItemsPerS, ours.MapChunk1.MedianItemsPerS, PerS, lowerIsBetter: false, target: 5, "≥ 5×"));

        PayloadSummary d = ours.Payload!;
        PayloadSummary? pd = py?.Payload;
        rows.Add(Row($"(d) {d.PayloadMb} MB byte[] echo, payload / round trip",
            pd?.RoundTripMbPerS, d.RoundTripMbPerS, v => string.Create(s_inv, $"{v:N0} MB/s"), lowerIsBetter: false, target: 10, "≥ 10×",
            pythonNote: pd is null ? null : string.Create(s_inv, $" ({pd.MedianRoundTripMs:N1} ms)"),
            oursNote: string.Create(s_inv, $" ({d.MedianRoundTripMs:N1} ms)")));

        ColdStartSummary e = ours.ColdStart!;
        ColdStartSummary? spawn = py is not null && py.ColdStart.TryGetValue("spawn", out ColdStartSummary? s) ? s : null;
        ColdStartSummary? fork = py is not null && py.ColdStart.TryGetValue("fork", out ColdStartSummary? f) ? f : null;
        bool eMet = e.FirstResultMedianMs <= 40 && (spawn is null || e.FirstResultMedianMs < spawn.FirstResultMedianMs);
        rows.Add(
        [
            $"(e) new pool({workers}) → first result, median of {e.Runs}",
            spawn is null ? "—" : string.Create(s_inv, $"{spawn.FirstResultMedianMs:N1} ms spawn") + (fork is null ? "" : string.Create(s_inv, $" ({fork.FirstResultMedianMs:N1} ms fork)")),
            string.Create(s_inv, $"{e.FirstResultMedianMs:N1} ms (JIT)"),
            spawn is null ? "—" : Ratio(spawn.FirstResultMedianMs / e.FirstResultMedianMs) + " vs spawn",
            "< Python spawn and ≤ 40 ms (JIT)",
            eMet ? "yes" : "**no**",
        ]);
        rows.Add(["(e) same, NativeAOT", "—", "not measured", "—", "≤ 10 ms", "not measured"]);

        rows.Add(Row($"(f) imap_unordered, {ours.Unordered!.Items:N0} items",
            py?.Unordered?.MedianItemsPerS, ours.Unordered.MedianItemsPerS, PerS, lowerIsBetter: false, target: 5, "≥ 5×"));

        CpuSummary c = ours.Cpu!;
        rows.Add(
        [
            $"CPU-bound: primes < {c.Limit:N0} in {c.Ranges} ranges, {workers} workers vs serial ²",
            "—",
            string.Create(s_inv, $"{c.SpeedUp:N2}× ({c.SerialMedianS:N2} s → {c.PoolMedianS:N2} s)"),
            "—",
            "speed-up ≥ 1.8×",
            c.SpeedUp >= 1.8 ? "yes" : "**no**",
        ]);

        RssSummary r = ours.RssFresh!;
        RssSummary? pr = py?.Rss;
        rows.Add(Row("idle worker RSS (max of the workers) ³", pr?.MaxMb, r.MaxMb, v => string.Create(s_inv, $"{v:N1} MB"), lowerIsBetter: true, target: null, "< 40 MB",
            met: r.MaxMb < 40));
        if (ours.RssAfterRun is { } after)
        {
            rows.Add(["idle worker RSS after all cases", "—", string.Create(s_inv, $"{after.MaxMb:N1} MB"), "—", "—", "—"]);
        }

        string[] header = ["case", $"Python Pool({workers})", "ParallelGen", "ratio (× better)", "target (issue 6)", "met"];
        var sb = new StringBuilder();
        int[] widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(row => row[i].Length))).ToArray();
        sb.AppendLine(Line(header, widths));
        sb.AppendLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (string[] row in rows)
        {
            sb.AppendLine(Line(row, widths));
        }

        sb.AppendLine();
        sb.AppendLine("² the same ranges, counted in this process one after another vs Map(chunkSize: 1) on the pool; speed-up = serial / pool time.");
        sb.AppendLine("³ VmRSS from /proc/<pid>/status of each worker, idle after warm-up; Python: a warmed multiprocessing.Pool, default start method");
        sb.AppendLine($"  ({py?.DefaultStartMethod ?? "?"}), measured by a small probe beside pool_bench.py (which has no memory case). MB = 10^6 bytes.");
        sb.AppendLine($"Throughput rows: median of {cfg.Repeat} run(s). Ratio: ours/Python for throughput, Python/ours for times and memory.");
        return sb.ToString();
    }

    private static string[] Row(string name, double? python, double ours, Func<double, string> format, bool lowerIsBetter, double? target, string targetText,
        string? pythonNote = null, string? oursNote = null, bool? met = null)
    {
        double? ratio = python is null ? null : lowerIsBetter ? python / ours : ours / python;
        bool? isMet = met ?? (target is null || ratio is null ? null : ratio >= target);
        return
        [
            name,
            python is null ? "—" : format(python.Value) + pythonNote,
            format(ours) + oursNote,
            ratio is null ? "—" : Ratio(ratio.Value),
            targetText,
            isMet is null ? "—" : isMet.Value ? "yes" : "**no**",
        ];
    }

    private static string Ratio(double ratio) => string.Create(s_inv, $"{ratio:N2}×");

    private static string Us(double us) => string.Create(s_inv, $"{us:N1} µs");

    private static string PerS(double items) => string.Create(s_inv, $"{items:N0} items/s");

    private static string Line(string[] cells, int[] widths) =>
        "| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |";
}

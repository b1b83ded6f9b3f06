using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ParallelGen.Benchmarks;

/// <summary>
/// The one-invocation table: case | Python Pool(2) | .NET peer | ParallelGen | both ratios against Python |
/// target (issue 12) | met. A ratio is always "how many times better than Python": side/Python for
/// throughputs, Python/side for times and memory. Printed as Markdown, so it pastes into docs as is.
/// </summary>
public static class Report
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    public static string Table(SideResults ours, SideResults? py, SideResults? peer, BenchConfig cfg)
    {
        var rows = new List<string[]>();
        LatencySummary a = ours.ApplyLatency!;
        rows.Add(Row("(a) apply round trip, median", py?.ApplyLatency?.MedianUs, peer?.ApplyLatency?.MedianUs, a.MedianUs, Us, lowerIsBetter: true, 5, "≥ 5×"));
        rows.Add(Row("(a) apply round trip, p90", py?.ApplyLatency?.P90Us, peer?.ApplyLatency?.P90Us, a.P90Us, Us, lowerIsBetter: true, null, "—"));
        rows.Add(Row("(a) apply round trip, p99", py?.ApplyLatency?.P99Us, peer?.ApplyLatency?.P99Us, a.P99Us, Us, lowerIsBetter: true, 1, "≤ Python's p99"));
        rows.Add(Row($"(b) map {ours.MapDefault!.Items:N0} ints, default chunks (chunk {ours.MapDefaultChunkSize:N0}) ¹",
            py?.MapDefault?.MedianItemsPerS, peer?.MapDefault?.MedianItemsPerS, ours.MapDefault.MedianItemsPerS, PerS, lowerIsBetter: false, 10, "≥ 10×"));
        rows.Add(Row($"(c) map {ours.MapChunk1!.Items:N0} ints, chunkSize 1",
            py?.MapChunk1?.MedianItemsPerS, peer?.MapChunk1?.MedianItemsPerS, ours.MapChunk1.MedianItemsPerS, PerS, lowerIsBetter: false, 10, "≥ 10×"));
        PayloadSummary d = ours.Payload!;
        rows.Add(Row($"(d) {d.PayloadMb} MB byte[] echo, payload / round trip",
            py?.Payload?.RoundTripMbPerS, peer?.Payload?.RoundTripMbPerS, d.RoundTripMbPerS, MbPerS, lowerIsBetter: false, 10, "≥ 10× (≥ 1.5 GB/s)",
            met: py?.Payload is { } pd ? d.RoundTripMbPerS / pd.RoundTripMbPerS >= 10 && d.RoundTripMbPerS >= 1500 : null));
        rows.Add(ColdStartRow(ours, py, peer, cfg.Workers));
        rows.Add(NativeAotRow(ours, py));
        rows.Add(Row($"(f) imap_unordered, {ours.Unordered!.Items:N0} items ²",
            py?.Unordered?.MedianItemsPerS, peer?.Unordered?.MedianItemsPerS, ours.Unordered.MedianItemsPerS, PerS, lowerIsBetter: false, 10, "≥ 10×"));

        CpuSummary c = ours.Cpu!;
        rows.Add(
        [
            $"CPU-bound: primes < {c.Limit:N0} in {c.Ranges} ranges, {cfg.Workers} workers vs serial ³", "—", "—",
            string.Create(s_inv, $"{c.SpeedUp:N2}× ({c.SerialMedianS:N2} s → {c.PoolMedianS:N2} s)"), "—", "—", "≥ 1.9×", Met(c.SpeedUp >= 1.9),
        ]);

        MemorySummary m = ours.Memory!;
        MemorySummary? pm = py?.Memory;
        rows.Add(Row("idle worker RSS (max of the workers) ⁴", pm?.Idle.MaxMb, null, m.Idle.MaxMb, Mb, lowerIsBetter: true, null, "≤ 30 MB",
            met: m.Idle.MaxMb <= 30));
        rows.Add(ours.NativeAotIdleRssMb is { } aotRss
            ? Row("idle worker RSS, NativeAOT (max of the workers) ⁶", pm?.Idle.MaxMb, null, aotRss, Mb, lowerIsBetter: true, null, "≤ 30 MB", met: aotRss <= 30)
            : ["idle worker RSS, NativeAOT (max of the workers) ⁶", pm is null ? "—" : Mb(pm.Idle.MaxMb), "—", "not measured", "—", "—", "≤ 30 MB", "not measured"]);
        rows.Add(Row("worker RSS 1 s after the large payloads (max) ⁴", pm?.AfterPayloads.MaxMb, null, m.AfterPayloads.MaxMb, Mb, lowerIsBetter: true, null,
            "≤ idle + 50 MB", met: m.AfterPayloads.MaxMb <= m.Idle.MaxMb + 50));
        rows.Add(Row(string.Create(s_inv, $"idle pool: CPU of parent + workers over {m.IdleCpu.Seconds:N1} s, % of one core ⁵"),
            pm?.IdleCpu.TotalPercent, null, m.IdleCpu.TotalPercent, Percent, lowerIsBetter: true, null, "< 1 %", met: m.IdleCpu.TotalPercent < 1)
            .Select((cell, i) => i == 4 ? "—" : cell).ToArray()); // a ratio of two near-zero figures means nothing

        string w = cfg.Workers.ToString(s_inv);
        string[] header = ["case", $"Python Pool({w})", $".NET peer ({w} children)", "ParallelGen", "ParallelGen ÷ Python", "peer ÷ Python", "target (issue 12)", "met"];
        string table = MarkdownTable.Render(header, rows);
        return table + Environment.NewLine + Footnotes(ours, py, peer, cfg);
    }

    private static string[] ColdStartRow(SideResults ours, SideResults? py, SideResults? peer, int workers)
    {
        ColdStartSummary e = ours.ColdStart["spawn"];
        ColdStartSummary? spawn = py?.ColdStart.GetValueOrDefault("spawn");
        ColdStartSummary? fork = py?.ColdStart.GetValueOrDefault("fork");
        ColdStartSummary? peerStart = peer?.ColdStart.GetValueOrDefault("spawn");
        return
        [
            $"(e) new pool({workers}) → first result, median of {e.Runs}",
            spawn is null ? "—" : Ms(spawn.FirstResultMedianMs) + " spawn" + (fork is null ? "" : $" ({Ms(fork.FirstResultMedianMs)} fork)"),
            peerStart is null ? "—" : Ms(peerStart.FirstResultMedianMs),
            Ms(e.FirstResultMedianMs) + " (JIT)",
            spawn is null ? "—" : Ratio(spawn.FirstResultMedianMs / e.FirstResultMedianMs) + " vs spawn",
            spawn is null || peerStart is null ? "—" : Ratio(spawn.FirstResultMedianMs / peerStart.FirstResultMedianMs) + " vs spawn",
            "≤ ½ Python's spawn (JIT)",
            spawn is null ? "—" : Met(e.FirstResultMedianMs <= spawn.FirstResultMedianMs / 2),
        ];
    }

    private static string[] NativeAotRow(SideResults ours, SideResults? py)
    {
        ColdStartSummary? aot = ours.ColdStart.GetValueOrDefault(NativeAotSide.Key);
        ColdStartSummary? fork = py?.ColdStart.GetValueOrDefault("fork");
        if (aot is null)
        {
            return ["(e) same, NativeAOT ⁶", fork is null ? "—" : Ms(fork.FirstResultMedianMs) + " fork", "—", "not measured", "—", "—", "≤ Python's fork", "not measured"];
        }

        return
        [
            "(e) same, NativeAOT ⁶",
            fork is null ? "—" : Ms(fork.FirstResultMedianMs) + " fork",
            "—",
            Ms(aot.FirstResultMedianMs) + " (NativeAOT)",
            fork is null ? "—" : Ratio(fork.FirstResultMedianMs / aot.FirstResultMedianMs) + " vs fork",
            "—",
            "≤ Python's fork",
            fork is null ? "—" : Met(aot.FirstResultMedianMs <= fork.FirstResultMedianMs),
        ];
    }

    private static string Footnotes(SideResults ours, SideResults? py, SideResults? peer, BenchConfig cfg) =>
        string.Join(Environment.NewLine,
        [
            "¹ the peer has no map: it sends the items as concurrent int[] batch calls of the same chunk size.",
            "² ParallelGen: ImapUnorderedAsync (chunkSize 1); Python: imap_unordered; the peer: one call per item, all in flight, in completion order.",
            "³ the same ranges, counted in this process one after another vs Map(chunkSize: 1) on the pool; speed-up = serial / pool time.",
            $"⁴ VmRSS from /proc/<pid>/status of each worker (MB = 10^6 bytes): idle after warm-up, and 1 s after the echo sweep (up to {cfg.EchoSizes.Max() / 1e6:N0} MB) ended;",
            $"  Python: the same on its Pool ({py?.StartMethod ?? "?"} start method).",
            $"⁵ utime + stime from /proc/<pid>/stat of the parent process and every worker while the main pool ({cfg.Workers} workers) has no work.",
            ours.ColdStart.ContainsKey(NativeAotSide.Key)
                ? "⁶ the published samples/NativeAot app timing its own new ProcessPool → first Apply, then its idle workers' VmRSS as in ⁴ (NativeAot --bench-start): parent and workers native."
                : $"⁶ not measured: publish samples/NativeAot first ({NativeAotSide.PublishCommand}) or pass --native-aot PATH.",
            $"Throughput rows: median of {cfg.Repeat} run(s). Ratios: side/Python for throughput, Python/side for times and memory." +
                (peer is null ? " No .NET peer column (--no-peer)." : "") + (py is null ? " No Python column (--no-python)." : ""),
            "",
        ]);

    private static string[] Row(string name, double? python, double? peer, double ours, Func<double, string> format, bool lowerIsBetter,
        double? target, string targetText, bool? met = null)
    {
        double? Versus(double? side) => python is null || side is null ? null : lowerIsBetter ? python / side : side / python;
        double? ratio = Versus(ours);
        bool? isMet = met ?? (target is null || ratio is null ? null : ratio >= target);
        return
        [
            name,
            python is null ? "—" : format(python.Value),
            peer is null ? "—" : format(peer.Value),
            format(ours),
            ratio is null ? "—" : Ratio(ratio.Value),
            Versus(peer) is { } p ? Ratio(p) : "—",
            targetText,
            isMet is null ? "—" : Met(isMet.Value),
        ];
    }

    private static string Met(bool met) => met ? "yes" : "**no**";

    private static string Ratio(double ratio) => string.Create(s_inv, $"{ratio:N2}×");

    private static string Us(double us) => string.Create(s_inv, $"{us:N1} µs");

    private static string Ms(double ms) => string.Create(s_inv, $"{ms:N1} ms");

    private static string Mb(double mb) => string.Create(s_inv, $"{mb:N1} MB");

    private static string MbPerS(double mbPerS) => string.Create(s_inv, $"{mbPerS:N0} MB/s");

    private static string Percent(double percent) => string.Create(s_inv, $"{percent:N2} %");

    private static string PerS(double items) => string.Create(s_inv, $"{items:N0} items/s");
}

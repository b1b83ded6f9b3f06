using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ParallelGen.Benchmarks;

/// <summary>The "how cost grows" tables: (a) and (c) against the number of workers, and the echo against payload size.</summary>
public static class GrowthReport
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    public static string Tables(GrowthResults ours, GrowthResults? py, int cores)
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(s_inv, $"How cost grows with workers ({cores} cores: more workers than that are oversubscribed)"));
        sb.AppendLine();
        var rows = new List<string[]>();
        foreach (WorkersPoint o in ours.Workers)
        {
            WorkersPoint? p = py?.Workers.FirstOrDefault(x => x.Workers == o.Workers);
            rows.Add(
            [
                o.Workers.ToString(s_inv),
                p is null ? "—" : Us(p.Apply.MedianUs), Us(o.Apply.MedianUs), p is null ? "—" : Ratio(p.Apply.MedianUs / o.Apply.MedianUs),
                p is null ? "—" : PerS(p.Chunk1.MedianItemsPerS), PerS(o.Chunk1.MedianItemsPerS), p is null ? "—" : Ratio(o.Chunk1.MedianItemsPerS / p.Chunk1.MedianItemsPerS),
            ]);
        }

        sb.Append(MarkdownTable.Render(
            ["workers", "(a) median, Python", "(a) median, ParallelGen", "ratio", "(c) chunk 1, Python", "(c) chunk 1, ParallelGen", "ratio"], rows));
        sb.AppendLine();
        sb.AppendLine("How cost grows with payload size (byte[] echo on the main pool; MB/s = payload MB / median round trip)");
        sb.AppendLine();
        rows.Clear();
        foreach (EchoPoint o in ours.Echo)
        {
            EchoPoint? p = py?.Echo.FirstOrDefault(x => x.Bytes == o.Bytes);
            rows.Add(
            [
                Size(o.Bytes), o.Runs.ToString(s_inv),
                p is null ? "—" : Time(p.MedianMs), p is null ? "—" : MbPerS(p.MbPerS),
                Time(o.MedianMs), MbPerS(o.MbPerS),
                p is null ? "—" : Ratio(p.MedianMs / o.MedianMs),
            ]);
        }

        sb.Append(MarkdownTable.Render(
            ["payload", "timed calls", "Python: time per call", "Python: MB/s", "ParallelGen: time per call", "ParallelGen: MB/s", "ratio"], rows));
        return sb.ToString();
    }

    /// <summary>Decimal units, as every MB figure here: 1 KB = 10^3 bytes, 1 GB = 10^9.</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1_000_000_000 => string.Create(s_inv, $"{bytes / 1e9:0.##} GB"),
        >= 1_000_000 => string.Create(s_inv, $"{bytes / 1e6:0.##} MB"),
        >= 1_000 => string.Create(s_inv, $"{bytes / 1e3:0.##} KB"),
        _ => string.Create(s_inv, $"{bytes} B"),
    };

    public static string Time(double ms) => ms switch
    {
        < 1 => string.Create(s_inv, $"{ms * 1000:N1} µs"),
        < 1000 => string.Create(s_inv, $"{ms:N1} ms"),
        _ => string.Create(s_inv, $"{ms / 1000:N2} s"),
    };

    private static string Us(double us) => string.Create(s_inv, $"{us:N1} µs");

    private static string PerS(double items) => string.Create(s_inv, $"{items:N0} items/s");

    private static string MbPerS(double mbPerS) => string.Create(s_inv, $"{mbPerS:N1} MB/s");

    private static string Ratio(double ratio) => string.Create(s_inv, $"{ratio:N2}×");
}

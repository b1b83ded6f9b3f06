using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;

namespace ParallelGen.Benchmarks;

/// <summary>
/// What /proc says about a process: resident memory and CPU time. python/bench_stats.py reads the same
/// fields the same way, so both sides' memory and idle-CPU rows are comparable.
/// </summary>
public static class ProcStats
{
    private const double MB = 1_000_000;

    /// <summary>USER_HZ: the unit of utime/stime in /proc/&lt;pid&gt;/stat, 100 on every Linux platform.</summary>
    private const double ClockTicksPerSecond = 100;

    /// <summary>VmRSS from /proc/&lt;pid&gt;/status, in decimal MB.</summary>
    public static double RssMb(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                string kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024 / MB;
            }
        }

        throw new InvalidOperationException($"no VmRSS for process {pid}");
    }

    public static RssSummary Rss(int[] pids)
    {
        double[] mb = pids.Select(RssMb).ToArray();
        return new RssSummary(mb.Length, mb.Average(), mb.Max());
    }

    /// <summary>User + system CPU seconds of a process (all its threads, live or ended), from /proc/&lt;pid&gt;/stat.</summary>
    public static double CpuSeconds(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may hold spaces; fields after its closing ")" start at 3 (state),
        // so utime (14) and stime (15) are the 12th and 13th of them.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicksPerSecond;
    }

    /// <summary>Sleeps for <paramref name="seconds"/> and reports what this process and the workers burnt meanwhile.</summary>
    public static IdleCpuSummary IdleCpu(int[] workerPids, double seconds)
    {
        int self = Environment.ProcessId;
        double parentBefore = CpuSeconds(self);
        double[] workersBefore = workerPids.Select(CpuSeconds).ToArray();
        long t0 = Stopwatch.GetTimestamp();
        Thread.Sleep(TimeSpan.FromSeconds(seconds)); // the measurement itself: nothing to wait for
        double wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        double parent = CpuSeconds(self) - parentBefore;
        double workers = workerPids.Select((pid, i) => CpuSeconds(pid) - workersBefore[i]).Sum();
        return new IdleCpuSummary(wall, 100 * parent / wall, 100 * workers / wall, 100 * (parent + workers) / wall);
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>
    /// The machine's CPU time so far from /proc/stat, in ticks: all of it, and the part a hypervisor gave to other
    /// guests while this one wanted to run ("steal"), which a load average does not show.
    /// </summary>
    public static (long Total, long Steal) CpuTicks()
    {
        if (!File.Exists("/proc/stat"))
        {
            return (0, 0);
        }

        // cpu user nice system idle iowait irq softirq steal [guest guest_nice, already counted in user and nice]
        string[] fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long[] ticks = fields.Skip(1).Take(8).Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        return (ticks.Sum(), ticks.Length == 8 ? ticks[7] : 0);
    }

    /// <summary>The share of the machine's CPU time stolen since <paramref name="start"/>, as "1.2 %", or "?".</summary>
    public static string StealSince((long Total, long Steal) start)
    {
        (long total, long steal) = CpuTicks();
        return total > start.Total
            ? (100.0 * (steal - start.Steal) / (total - start.Total)).ToString("F1", CultureInfo.InvariantCulture) + " %"
            : "?";
    }
}

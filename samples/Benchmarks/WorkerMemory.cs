using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;

namespace ParallelGen.Benchmarks;

/// <summary>
/// <c>--analyze rss-levers</c>: the "idle worker RSS" row under several worker environments, and what that RSS is made
/// of (<c>/proc/&lt;pid&gt;/smaps_rollup</c>: file pages shared with every other .NET process vs the worker's private
/// pages); the floor, a bare runtime's idle RSS, is <c>--analyze start-probes</c>' (<see cref="StartProbe"/>).
/// Memory does not depend on the machine's load, so one round per environment is enough; the largest mappings of the
/// first environment's worker are listed too.
/// </summary>
public static class WorkerMemory
{
    /// <summary>Worker environments compared (name=value pairs separated by spaces; empty = the defaults).</summary>
    public static readonly string[] DefaultLevers =
    [
        "",
        "DOTNET_GCgen0size=0x100000",
        "DOTNET_gcConcurrent=0",
        "DOTNET_GCHeapHardLimit=0x4000000",
        "DOTNET_GCConserveMemory=9",
        "DOTNET_TieredCompilation=0",
        "DOTNET_TieredPGO=0",
        "DOTNET_EnableWriteXorExecute=0",
    ];

    /// <summary>Compares <see cref="DefaultLevers"/>, or the environments in RSSLEVERS (separated by ';', an empty one for the defaults).</summary>
    public static void Run(BenchConfig cfg)
    {
        string[] levers = Environment.GetEnvironmentVariable("RSSLEVERS") is { Length: > 0 } fromEnvironment
            ? fromEnvironment.Split(';').Select(l => l.Trim()).ToArray()
            : DefaultLevers;
        bool first = true;
        foreach (string lever in levers)
        {
            using (StartLevers.EnvironmentScope.Set(lever))
            using (var pool = new ProcessPool(cfg.Workers))
            {
                OurBench.WarmUp(pool, cfg);
                int[] pids = StartLevers.ChildProcessIds().ToArray();
                Thread.Sleep(500); // the runner reads RSS right after its pid probes; here half a second later, nothing running
                int worst = pids.OrderByDescending(ProcStats.RssMb).First();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {(lever.Length == 0 ? "(defaults)" : lever),-44} max RSS {pids.Max(ProcStats.RssMb),5:N1} MB  | {Rollup(worst)}"));
                if (first)
                {
                    Console.WriteLine("    largest mappings of that worker (RSS, of which private):");
                    foreach ((string name, long rss, long priv) in Mappings(worst).Take(14))
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      {rss / 1e6,6:N1} MB {priv / 1e6,6:N1} MB  {name}"));
                    }

                    first = false;
                }
            }
        }
    }

    /// <summary>smaps_rollup's Rss, Pss, Shared_Clean, Private_Clean, Private_Dirty and Anonymous, in decimal MB.</summary>
    public static string Rollup(int pid)
    {
        Dictionary<string, long> kb = File.ReadLines($"/proc/{pid}/smaps_rollup")
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && parts[1].TrimEnd().EndsWith(" kB", StringComparison.Ordinal))
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
        string Field(string name) => string.Create(CultureInfo.InvariantCulture, $"{name} {kb.GetValueOrDefault(name) * 1024 / 1e6:N1}");
        return string.Join("  ", new[] { "Rss", "Pss", "Shared_Clean", "Private_Clean", "Private_Dirty", "Anonymous" }.Select(Field));
    }

    /// <summary>RSS and private bytes per mapped file (anonymous mappings together), largest first.</summary>
    public static IEnumerable<(string Name, long Rss, long Private)> Mappings(int pid)
    {
        var totals = new Dictionary<string, (long Rss, long Private)>();
        string current = "";
        foreach (string line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 5 && parts[0].Contains('-', StringComparison.Ordinal) && !parts[0].EndsWith(':'))
            {
                current = parts.Length >= 6 ? string.Join(' ', parts.Skip(5)) : "[anonymous]";
                if (current.StartsWith("/memfd:doublemapper", StringComparison.Ordinal))
                {
                    current = "/memfd:doublemapper (executable code and stubs)";
                }

                continue;
            }

            if (parts.Length == 3 && parts[2] == "kB" && parts[0] is "Rss:" or "Private_Clean:" or "Private_Dirty:")
            {
                long bytes = long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
                (long rss, long priv) = totals.GetValueOrDefault(current);
                totals[current] = parts[0] == "Rss:" ? (rss + bytes, priv) : (rss, priv + bytes);
            }
        }

        return totals.Select(t => (t.Key, t.Value.Rss, t.Value.Private)).OrderByDescending(t => t.Rss);
    }
}

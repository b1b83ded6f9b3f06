using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace ParallelGen.Benchmarks;

/// <summary>
/// <c>--analyze start-levers</c>: case (e) (new pool → first result) under several worker environments, run in
/// alternation (one start of each per round) so that the machine's load drifts across all of them alike. Beside the
/// wall time it reports the CPU the workers burnt until the first result (their threads' run time from
/// <c>/proc/&lt;pid&gt;/task/*/schedstat</c>), which other work on the machine disturbs much less than the wall time.
/// </summary>
public static class StartLevers
{
    /// <summary>Worker environments compared (name=value pairs separated by spaces; empty = the defaults).</summary>
    public static readonly string[] DefaultLevers =
    [
        "",
        "DOTNET_TieredPGO=0",
        "DOTNET_TC_CallCountingDelayMs=1000",
        "DOTNET_EnableWriteXorExecute=0",
        "DOTNET_gcConcurrent=0",
        "DOTNET_LTTng=0",
    ];

    /// <summary>
    /// Compares <see cref="DefaultLevers"/>, or the environments in STARTLEVERS (separated by ';', an empty one for the
    /// defaults): rounds = <see cref="BenchConfig.ColdRuns"/> (at least 5), pool size <see cref="BenchConfig.Workers"/>.
    /// </summary>
    public static void Run(BenchConfig cfg)
    {
        string[] levers = Environment.GetEnvironmentVariable("STARTLEVERS") is { Length: > 0 } fromEnvironment
            ? fromEnvironment.Split(';').Select(l => l.Trim()).ToArray()
            : DefaultLevers;

        int rounds = Math.Max(cfg.ColdRuns, 5);
        var wall = levers.Select(_ => new List<double>()).ToArray();
        var cpu = levers.Select(_ => new List<double>()).ToArray();
        StartOnce(cfg.Workers); // the parent's own first-call code paths, outside every lever's figures
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < levers.Length; i++)
            {
                using (EnvironmentScope.Set(levers[i]))
                {
                    (double ms, double cpuMs) = StartOnce(cfg.Workers);
                    wall[i].Add(ms);
                    cpu[i].Add(cpuMs);
                }
            }
        }

        Console.WriteLine($"  new ProcessPool({cfg.Workers}) → first Apply result, {rounds} alternating rounds; load average now {ProcStats.LoadAverage()}");
        for (int i = 0; i < levers.Length; i++)
        {
            string name = levers[i].Length == 0 ? "(defaults)" : levers[i];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-60} wall median {Stats.Median(wall[i]),7:N1} ms (min {wall[i].Min(),6:N1})   workers' CPU median {Stats.Median(cpu[i]),7:N1} ms (min {cpu[i].Min(),6:N1})"));
        }
    }

    /// <summary>One start: wall time to the first result, and the CPU all workers had used by then (ms).</summary>
    public static (double WallMs, double WorkerCpuMs) StartOnce(int workers)
    {
        long t0 = Stopwatch.GetTimestamp();
        using var pool = new ProcessPool(workers);
        pool.Apply(Jobs.Remote.Trivial, 1);
        double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        double cpuMs = ChildProcessIds().Sum(ThreadsRunTimeMs);
        return (ms, cpuMs);
    }

    /// <summary>This process's children, from /proc/self/task/*/children.</summary>
    public static IEnumerable<int> ChildProcessIds() =>
        Directory.EnumerateDirectories("/proc/self/task")
            .SelectMany(task => ReadOrEmpty(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pid => int.Parse(pid, CultureInfo.InvariantCulture))
            .Distinct();

    /// <summary>Run time of every live thread of a process (first field of schedstat, nanoseconds), in ms.</summary>
    public static double ThreadsRunTimeMs(int pid) =>
        Directory.Exists($"/proc/{pid}/task")
            ? Directory.EnumerateDirectories($"/proc/{pid}/task")
                .Select(task => ReadOrEmpty(Path.Combine(task, "schedstat")).Split(' ', 2)[0])
                .Where(ns => ns.Length > 0)
                .Sum(ns => long.Parse(ns, CultureInfo.InvariantCulture)) / 1e6
            : 0;

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return ""; // the thread or process ended meanwhile
        }
    }

    /// <summary>Sets name=value pairs in this process's environment, which new workers inherit, and restores them.</summary>
    internal sealed class EnvironmentScope : IDisposable
    {
        private readonly List<(string Name, string? Old)> _saved = new();

        public static EnvironmentScope Set(string pairs)
        {
            var scope = new EnvironmentScope();
            foreach (string pair in pairs.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] nameValue = pair.Split('=', 2);
                scope._saved.Add((nameValue[0], Environment.GetEnvironmentVariable(nameValue[0])));
                Environment.SetEnvironmentVariable(nameValue[0], nameValue[1]);
            }

            return scope;
        }

        public void Dispose()
        {
            foreach ((string name, string? old) in _saved)
            {
                Environment.SetEnvironmentVariable(name, old);
            }
        }
    }
}

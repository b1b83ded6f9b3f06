using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace ParallelGen.Soak;

/// <summary>
/// A chaos soak: rounds of many small and some large tasks through <c>ImapUnordered</c> while workers die in every
/// way a pool must survive: SIGKILL from outside, <c>Environment.Exit</c>, stack overflow, SIGKILL from inside. With
/// <c>MaxRetries</c> set, every task must still give exactly one correct result, the caller's memory, threads and
/// file descriptors must stay flat, and nothing may be left behind. Run by <c>--soak</c> in samples/Benchmarks
/// (minutes) and by <c>ChaosSoakTests</c> in tests/ParallelGen.Runtime.Tests (seconds); both pass their own handle
/// for <see cref="SoakWork.Run"/>.
/// </summary>
public static class ChaosSoak
{
    /// <summary>Runs <see cref="SoakOptions.Rounds"/> rounds (and more until <see cref="SoakOptions.Until"/> has passed, if set) and returns the figures.</summary>
    public static SoakFigures Run(
        RemoteFunc<(int Id, byte[] Payload, int Chaos, string Markers), (int Id, long Checksum, int Pid)> work,
        SoakOptions options,
        Action<string>? log = null)
    {
        string markers = Directory.CreateTempSubdirectory("parallelgen-soak-").FullName;
        var figures = new SoakFigures { FdsBeforePool = CountFds() };
        var seenPids = new HashSet<int>();
        var random = new Random(options.Seed);
        var clock = Stopwatch.StartNew();
        try
        {
            using (var pool = new ProcessPool(new ProcessPoolOptions { Processes = options.Processes, MaxRetries = options.MaxRetries }))
            {
                for (int round = 0; round < options.Rounds || (options.Until is { } until && clock.Elapsed < until); round++)
                {
                    RunRound(pool, work, options, round, markers, random, seenPids, figures);
                    if (round == 0)
                    {
                        // The first round warms everything up (JIT, thread pool, buffers): later rounds are compared to it.
                        (figures.RssAfterFirstRound, figures.ThreadsAfterFirstRound, figures.FdsAfterFirstRound) = MeasureSelf();
                    }

                    log?.Invoke($"round {round + 1}: {figures.Results}/{figures.Tasks} results, {figures.Kills} kills, " +
                        $"rss {Megabytes(MeasureSelf().Rss)} MB, {clock.Elapsed.TotalSeconds:F0} s");
                }

                (figures.RssAtEnd, figures.ThreadsAtEnd, figures.FdsAtEnd) = MeasureSelf();
            }

            figures.WorkersLeft = seenPids.Count(pid => Directory.Exists("/proc/" + pid));
            figures.SocketsLeft = CountSockets(figures.PoolAddress);
            figures.FdsAfterPool = CountFds();
            figures.WorkerProcesses = seenPids.Count;
            figures.Elapsed = clock.Elapsed;
            return figures;
        }
        finally
        {
            Directory.Delete(markers, recursive: true);
        }
    }

    private static void RunRound(
        ProcessPool pool,
        RemoteFunc<(int Id, byte[] Payload, int Chaos, string Markers), (int Id, long Checksum, int Pid)> work,
        SoakOptions options,
        int round,
        string markers,
        Random random,
        HashSet<int> seenPids,
        SoakFigures figures)
    {
        int first = round * options.TasksPerRound;
        var tasks = new List<(int Id, byte[] Payload, int Chaos, string Markers)>(options.TasksPerRound);
        var expected = new Dictionary<int, long>(options.TasksPerRound);
        for (int id = first; id < first + options.TasksPerRound; id++)
        {
            byte[] payload = id % options.LargeEvery == 0 ? Payload(id, options.LargeBytes) : Payload(id, 16);
            int chaos = id % options.ChaosEvery == options.ChaosEvery - 1 ? 1 + (id / options.ChaosEvery % 3) : SoakWork.NoChaos;
            tasks.Add((id, payload, chaos, markers));
            expected[id] = SoakWork.Checksum(id, payload);
            figures.ChaosExits += chaos == SoakWork.ExitChaos ? 1 : 0;
            figures.ChaosStackOverflows += chaos == SoakWork.StackOverflowChaos ? 1 : 0;
            figures.ChaosSelfKills += chaos == SoakWork.SelfKillChaos ? 1 : 0;
        }

        figures.Tasks += tasks.Count;
        var received = new Dictionary<int, int>(tasks.Count);
        var recentPids = new List<int>();
        try
        {
            foreach ((int id, long checksum, int pid) in pool.ImapUnordered(work, tasks))
            {
                figures.Results++;
                received[id] = received.GetValueOrDefault(id) + 1;
                figures.Wrong += expected.TryGetValue(id, out long want) && want == checksum ? 0 : 1;
                if (seenPids.Add(pid) || !recentPids.Contains(pid))
                {
                    recentPids.Add(pid);
                    figures.PoolAddress ??= ListenerAddressOf(pid);
                }

                if (figures.Results % options.KillEvery == 0)
                {
                    KillOneWorker(recentPids, random, figures);
                }
            }
        }
        catch (Exception exception) when (exception is WorkerCrashedException or RemoteException)
        {
            figures.Failures.Add(exception.GetType().Name + ": " + exception.Message);
        }

        figures.Lost += expected.Keys.Count(id => !received.ContainsKey(id));
        figures.Duplicated += received.Values.Count(count => count > 1);
    }

    /// <summary>SIGKILLs a worker this run has seen answer (never another pool's), as the OOM killer would.</summary>
    private static void KillOneWorker(List<int> recentPids, Random random, SoakFigures figures)
    {
        while (recentPids.Count > 0)
        {
            int index = random.Next(recentPids.Count);
            int pid = recentPids[index];
            recentPids.RemoveAt(index);
            try
            {
                using Process process = Process.GetProcessById(pid);
                process.Kill();
                figures.Kills++;
                return;
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone (recycled after a chaos task): try another.
            }
        }
    }

    private static byte[] Payload(int id, int length)
    {
        var bytes = new byte[length];
        new Random(id).NextBytes(bytes);
        return bytes;
    }

    /// <summary>
    /// This process's resident memory, threads and open descriptors, after a full collection. Threads of the .NET
    /// thread pool (".NET TP Worker", ".NET TP Wait") are left out: the pool grows and shrinks them on its own under
    /// load, whereas a thread leaked per worker (a reader that never ends) would show among the rest.
    /// </summary>
    private static (long Rss, int Threads, int Fds) MeasureSelf()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long rss = 0;
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        int threads = 0;
        foreach (string task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                threads += File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET TP", StringComparison.Ordinal) ? 0 : 1;
            }
            catch (IOException)
            {
                // The thread ended while we looked.
            }
        }

        return (rss, threads, CountFds());
    }

    private static int CountFds() => Directory.GetFileSystemEntries("/proc/self/fd").Length;

    /// <summary>The pool's socket address, from a worker's command line (<c>--address</c>), or null if it is gone already.</summary>
    private static string? ListenerAddressOf(int workerPid)
    {
        try
        {
            string[] arguments = File.ReadAllText($"/proc/{workerPid}/cmdline").Split('\0');
            int index = Array.IndexOf(arguments, "--address");
            return index >= 0 && index + 1 < arguments.Length ? arguments[index + 1] : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Unix sockets (the listener and its accepted connections) still open under the pool's address.</summary>
    private static int CountSockets(string? address) =>
        address is null ? 0 : File.ReadLines("/proc/net/unix").Count(line => line.EndsWith(" " + address, StringComparison.Ordinal));

    public static long Megabytes(long bytes) => bytes / 1_000_000;
}

/// <summary>How long and how hard to soak.</summary>
public sealed record SoakOptions
{
    public int Rounds { get; init; } = 4;

    /// <summary>Keep starting rounds until this much time has passed (the long run); null runs <see cref="Rounds"/> only.</summary>
    public TimeSpan? Until { get; init; }

    public int TasksPerRound { get; init; } = 1000;

    /// <summary>Every n-th task carries <see cref="LargeBytes"/> bytes instead of 16.</summary>
    public int LargeEvery { get; init; } = 50;

    public int LargeBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>Every n-th task kills its worker on its first attempt: Environment.Exit, stack overflow or SIGKILL in turn.</summary>
    public int ChaosEvery { get; init; } = 125;

    /// <summary>After every n results the caller SIGKILLs a worker.</summary>
    public int KillEvery { get; init; } = 150;

    public int Processes { get; init; } = 2;

    public int MaxRetries { get; init; } = 10;

    public int Seed { get; init; } = 12345;
}

/// <summary>What a soak did and found.</summary>
public sealed class SoakFigures
{
    public int Tasks { get; set; }
    public int Results { get; set; }
    public int Lost { get; set; }
    public int Duplicated { get; set; }
    public int Wrong { get; set; }
    public int Kills { get; set; }
    public int ChaosExits { get; set; }
    public int ChaosStackOverflows { get; set; }
    public int ChaosSelfKills { get; set; }
    public int WorkerProcesses { get; set; }
    public List<string> Failures { get; } = new();
    public long RssAfterFirstRound { get; set; }
    public long RssAtEnd { get; set; }
    public int ThreadsAfterFirstRound { get; set; }
    public int ThreadsAtEnd { get; set; }
    public int FdsBeforePool { get; set; }
    public int FdsAfterFirstRound { get; set; }
    public int FdsAtEnd { get; set; }
    public int FdsAfterPool { get; set; }
    public int WorkersLeft { get; set; }
    public string? PoolAddress { get; set; }
    public int SocketsLeft { get; set; }
    public TimeSpan Elapsed { get; set; }

    public override string ToString() =>
        $"tasks {Tasks:N0}, results {Results:N0}, lost {Lost}, duplicated {Duplicated}, wrong {Wrong}; " +
        $"worker deaths: {Kills} SIGKILL from outside, {ChaosExits} Environment.Exit, {ChaosStackOverflows} stack overflow, " +
        $"{ChaosSelfKills} self-SIGKILL; {WorkerProcesses} worker processes in all; " +
        $"parent RSS {ChaosSoak.Megabytes(RssAfterFirstRound)} → {ChaosSoak.Megabytes(RssAtEnd)} MB, threads (besides the thread pool's) {ThreadsAfterFirstRound} → {ThreadsAtEnd}, " +
        $"fds {FdsAfterFirstRound} → {FdsAtEnd} (before the pool {FdsBeforePool}, after it {FdsAfterPool}); " +
        $"workers left {WorkersLeft}, sockets left {SocketsLeft}; {Elapsed.TotalSeconds:F1} s" +
        (Failures.Count == 0 ? "" : "; failures: " + string.Join(" | ", Failures));
}

/// <summary>What each soak task does in its worker.</summary>
public static class SoakWork
{
    public const int NoChaos = 0;
    public const int ExitChaos = 1;
    public const int StackOverflowChaos = 2;
    public const int SelfKillChaos = 3;

    /// <summary>
    /// Returns the task's id, a checksum of its payload and this worker's pid; a chaos task first kills its worker, on
    /// its first attempt only (a marker file per id), so the retry on a fresh worker answers.
    /// </summary>
    public static (int Id, long Checksum, int Pid) Run(int id, byte[] payload, int chaos, string markers)
    {
        if (chaos != NoChaos && FirstAttempt(markers, id))
        {
            switch (chaos)
            {
                case ExitChaos:
                    Environment.Exit(3);
                    break;
                case StackOverflowChaos:
                    Recurse(0);
                    break;
                case SelfKillChaos:
                    Process.GetCurrentProcess().Kill();
                    break;
            }
        }

        return (id, Checksum(id, payload), Environment.ProcessId);
    }

    public static long Checksum(int id, byte[] payload)
    {
        long sum = id * 1_000_003L;
        foreach (byte b in payload)
        {
            sum = (sum * 31) + b;
        }

        return sum;
    }

    private static bool FirstAttempt(string markers, int id)
    {
        try
        {
            using FileStream marker = new(Path.Combine(markers, id.ToString(System.Globalization.CultureInfo.InvariantCulture)), FileMode.CreateNew);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int Recurse(int depth) => Recurse(depth + 1) + 1;
}

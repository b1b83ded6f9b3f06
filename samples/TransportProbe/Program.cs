using System.Diagnostics;
using System.Globalization;
using ParallelGen;

// Usage: TransportProbe [a|b|c|cwarm|d|d1m|f|rss|sparse|all] [sockets|inprocess]. "sockets" sends every frame on the Unix socket instead
// of shared memory (PoolBackend.ProcessesOverSockets); "inprocess" runs the same bytes on this process's thread pool,
// which leaves the cost of the pool, the scheduler and the encoding without any transport. Prints, per case and repetition, wall time, CPU time of this process
// and the workers per item, and context switches per item: figures a loaded machine blurs less than wall time.
ProcessWorker.RunIfWorker(args);
string what = args.Length > 0 ? args[0] : "all";
PoolBackend backend = args.Contains("sockets") ? PoolBackend.ProcessesOverSockets : args.Contains("inprocess") ? PoolBackend.InProcess : PoolBackend.Processes;
using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, Backend = backend });
Console.WriteLine($"backend: {backend} (child processes talk through shared memory where the platform has it)");
pool.Map(ProbeJobs.Remote.Trivial, Enumerable.Range(0, 100), chunkSize: 1);
var pids = new HashSet<int>();
for (int i = 0; i < 200 && pids.Count < 2; i++)
{
    pids.UnionWith(pool.Map(ProbeJobs.Remote.Pid, Enumerable.Range(0, 8), chunkSize: 1));
}

pids.Remove(Environment.ProcessId); // in process: this process is counted once, as the parent

if (what is "rss")
{
    Thread.Sleep(1500);
    Console.WriteLine($"idle RSS: {Rss(pids)}");
    Console.WriteLine(File.ReadAllText($"/proc/{pids.First()}/smaps_rollup"));
}

if (what is "all" or "a")
{
    for (int i = 0; i < 200; i++)
    {
        pool.Apply(ProbeJobs.Remote.Trivial, i);
    }

    var latencies = new List<double>();
    Measure("(a) apply x2000", 2000, () =>
    {
        for (int i = 0; i < 2000; i++)
        {
            long start = Stopwatch.GetTimestamp();
            pool.Apply(ProbeJobs.Remote.Trivial, i);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
    });
    latencies.Sort();
    Console.WriteLine($"    median {latencies[latencies.Count / 2]:F1} µs  p99 {latencies[(int)(latencies.Count * 0.99)]:F1} µs  max {latencies[^1]:F1} µs");
}

if (what is "sparse")
{
    // One call every 2 ms: both sides have gone to sleep in between, so each call pays the futex wake-ups.
    var latencies = new List<double>();
    for (int i = 0; i < 500; i++)
    {
        Thread.Sleep(2);
        long start = Stopwatch.GetTimestamp();
        pool.Apply(ProbeJobs.Remote.Trivial, i);
        latencies.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
    }

    latencies.Sort();
    Console.WriteLine($"sparse apply: median {latencies[latencies.Count / 2]:F1} µs  p99 {latencies[(int)(latencies.Count * 0.99)]:F1} µs  max {latencies[^1]:F1} µs");
}

if (what is "all" or "c")
{
    Measure("(c) map 20k chunk1", 20000, () => pool.Map(ProbeJobs.Remote.Trivial, Enumerable.Range(0, 20000), chunkSize: 1));
}

if (what is "cwarm")
{
    // (c) once the JIT's tiering has settled: 30 untimed maps, then a second with no new code to compile, so the
    // background compiler has promoted the hot methods (R2R and tier-0 code to tier 1) before the timed runs.
    for (int i = 0; i < 30; i++)
    {
        pool.Map(ProbeJobs.Remote.Trivial, Enumerable.Range(0, 20000), chunkSize: 1);
    }

    Thread.Sleep(1000);
    Measure("(c) map 20k chunk1, warmed", 20000, () => pool.Map(ProbeJobs.Remote.Trivial, Enumerable.Range(0, 20000), chunkSize: 1));
}

if (what is "all" or "f")
{
    Measure("(f) imap_unordered 10k", 10000, () =>
    {
        int seen = 0;
        foreach (int _ in pool.ImapUnorderedAsync(ProbeJobs.Remote.Trivial, Enumerable.Range(0, 10000)).ToBlockingEnumerable())
        {
            seen++;
        }
    });
}

if (what is "all" or "b")
{
    Measure("(b) map 1M", 1_000_000, () => pool.Map(ProbeJobs.Remote.Trivial, Enumerable.Range(0, 1_000_000)));
}

if (what is "all" or "d")
{
    var payload = new byte[100_000_000];
    Random.Shared.NextBytes(payload);
    pool.Apply(ProbeJobs.Remote.Identity, payload);
    Measure("(d) echo 100MB", 1, () => pool.Apply(ProbeJobs.Remote.Identity, payload));
    Console.WriteLine($"RSS right after: {Rss(pids)}");
    Thread.Sleep(1500);
    Console.WriteLine($"RSS 1.5 s later: {Rss(pids)}");
}

if (what is "d1m")
{
    // The (d) path at 1 MB, which fits the 1 MiB ring in one piece: what a large call costs without the ring's turns.
    var payload = new byte[1_000_000];
    Random.Shared.NextBytes(payload);
    for (int i = 0; i < 20; i++)
    {
        pool.Apply(ProbeJobs.Remote.Identity, payload);
    }

    Measure("(d) echo 1MB x200", 200, () =>
    {
        for (int i = 0; i < 200; i++)
        {
            pool.Apply(ProbeJobs.Remote.Identity, payload);
        }
    });
}

return 0;

void Measure(string name, int items, Action run)
{
    for (int rep = 0; rep < 3; rep++)
    {
        long cpu0 = Cpu(Environment.ProcessId) + pids.Sum(Cpu);
        long switches0 = Switches(Environment.ProcessId) + pids.Sum(Switches);
        int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
        var watch = Stopwatch.StartNew();
        run();
        watch.Stop();
        long cpu = Cpu(Environment.ProcessId) + pids.Sum(Cpu) - cpu0;
        long switches = Switches(Environment.ProcessId) + pids.Sum(Switches) - switches0;
        Console.WriteLine(
            $"{name}: wall {watch.Elapsed.TotalMilliseconds,8:F1} ms  {items / watch.Elapsed.TotalSeconds,12:N0}/s  " +
            $"cpu {cpu * 10.0 * 1000 / items,8:F2} µs/item  ctxsw {(double)switches / items,6:F2}/item  load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}  " +
            $"this process's GCs: {GC.CollectionCount(0) - gen0} (gen2 {GC.CollectionCount(2) - gen2})");
    }
}

static string Rss(IEnumerable<int> processes) =>
    string.Join(", ", processes.Select(p => File.ReadLines($"/proc/{p}/status").First(l => l.StartsWith("VmRSS", StringComparison.Ordinal)).Split(':')[1].Trim()));

// utime + stime in clock ticks (USER_HZ = 100).
static long Cpu(int processId)
{
    string stat = File.ReadAllText($"/proc/{processId}/stat");
    string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
}

static long Switches(int processId)
{
    long total = 0;
    foreach (string task in Directory.EnumerateDirectories($"/proc/{processId}/task"))
    {
        try
        {
            foreach (string line in File.ReadLines(task + "/status"))
            {
                if (line.StartsWith("voluntary_ctxt_switches", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches", StringComparison.Ordinal))
                {
                    total += long.Parse(line.Split(':')[1].Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The thread ended meanwhile.
        }
    }

    return total;
}

/// <summary>The probe's jobs.</summary>
public static partial class ProbeJobs
{
    /// <summary>Returns its argument.</summary>
    [ProcessParallel]
    public static int Trivial(int x) => x;

    /// <summary>The worker's process id.</summary>
    [ProcessParallel]
    public static int Pid(int x) => Environment.ProcessId + (x * 0);

    /// <summary>Returns its argument.</summary>
    [ProcessParallel]
    public static byte[] Identity(byte[] payload) => payload;
}

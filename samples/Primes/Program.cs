using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ParallelGen;
using Primes;
using Spectre.Console;

// Real CPU-bound work, the reason multiprocessing exists: count the primes below N by trial division.
//
//     ranges = [(lo, hi) for lo, hi in ...]
//     serial = sum(count_primes(lo, hi) for lo, hi in ranges)
//     with Pool() as pool:
//         parallel = sum(pool.starmap(count_primes, ranges))
//
// ParallelGen adds what Python's Pool never had: workers report progress through an IProgress<T> parameter, and
// the reports reach the caller's own IProgress object, here feeding a live progress bar.
//
// Usage: dotnet run --project samples/Primes [-- N [ranges]]
long limit = args.Length > 0 ? long.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 40_000_000;
int rangeCount = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 48;

Console.WriteLine($"Parent process id: {Environment.ProcessId}");
Console.WriteLine($"Counting the primes below {limit:N0} in {rangeCount} ranges; {Environment.ProcessorCount} logical processors.");
Console.WriteLine($"Output is {(Console.IsOutputRedirected ? "redirected: the progress bar falls back to plain lines" : "a terminal: the progress bar is live")}.");

// Split [0, limit) into ranges: the unit of work sent to a worker. More ranges than workers keeps every worker
// busy to the end (the later ranges cost a little more: larger numbers need more trial divisions).
(long From, long To)[] ranges = Enumerable.Range(0, rangeCount)
    .Select(i => (limit * i / rangeCount, limit * (i + 1) / rangeCount))
    .ToArray();

AnsiConsole.Write(new Rule("1. serial: every range in this process"));
var serialClock = Stopwatch.StartNew();
long serialCount = await WithProgressBar("serial", limit, progress =>
    Task.Run(() => ranges.Sum(range => Jobs.CountPrimes(range.From, range.To, progress).Count)));
serialClock.Stop();
Console.WriteLine($"serial:   {serialCount:N0} primes in {serialClock.Elapsed.TotalSeconds:F2} s (pid {Environment.ProcessId})");

AnsiConsole.Write(new Rule("2. a ProcessPool: the ranges spread over worker processes"));
// Python: Pool() with os.cpu_count() workers. Start the workers first, so the timing below is the work alone.
var startClock = Stopwatch.StartNew();
using var pool = new ProcessPool();
pool.Map(Jobs.Remote.CountPrimes, Enumerable.Repeat((0L, 0L, (IProgress<long>)new Counter()), pool.Processes));
Console.WriteLine($"started {pool.Processes} worker processes in {startClock.Elapsed.TotalSeconds:F2} s");

var poolClock = Stopwatch.StartNew();
(long Count, int ProcessId)[] perRange = await WithProgressBar("pool", limit, progress =>
    // starmap: each tuple is (from, to, progress). Every worker gets a proxy of the same IProgress<long>.
    pool.MapAsync(Jobs.Remote.CountPrimes, ranges.Select(range => (range.From, range.To, progress))).AsTask());
poolClock.Stop();
long poolCount = perRange.Sum(result => result.Count);
Console.WriteLine($"pool:     {poolCount:N0} primes in {poolClock.Elapsed.TotalSeconds:F2} s");
Console.WriteLine($"ranges per process: parent pid {Environment.ProcessId} ran none; " +
    string.Join(", ", perRange.GroupBy(result => result.ProcessId).OrderBy(g => g.Key).Select(g => $"worker pid {g.Key} ran {g.Count()}")));

AnsiConsole.Write(new Rule("3. result"));
Console.WriteLine($"counts agree: {serialCount == poolCount} ({serialCount:N0} = {poolCount:N0})");
Console.WriteLine($"speed-up over serial: {serialClock.Elapsed / poolClock.Elapsed:F2}x with {pool.Processes} workers " +
    $"(ideally close to {pool.Processes}x; less on a busy machine, and timings here are noisy: load average {LoadAverage()})");
return serialCount == poolCount ? 0 : 1;

// Runs `work`, handing it an IProgress<long> whose reports (numbers checked) move a progress bar.
static async Task<T> WithProgressBar<T>(string title, long total, Func<IProgress<long>, Task<T>> work)
{
    // Reports arrive on a ParallelGen thread (for the pool) or the worker thread (serial): just add them up.
    // The bar below polls the sum; it never runs inside Report.
    var checkedSoFar = new Counter();
    T result = default!;
    await AnsiConsole.Progress()
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
        .StartAsync(async context =>
        {
            ProgressTask bar = context.AddTask(title, maxValue: total);
            Task<T> running = work(checkedSoFar);
            while (!running.IsCompleted)
            {
                bar.Value = checkedSoFar.Value;
                await Task.WhenAny(running, Task.Delay(100));
            }

            bar.Value = checkedSoFar.Value;
            result = await running;
        });
    return result;
}

static string LoadAverage()
{
    try
    {
        return string.Join(" ", System.IO.File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (System.IO.IOException)
    {
        return "unknown";
    }
}

/// <summary>An <see cref="IProgress{T}"/> that adds up the reports, safely from any thread.</summary>
internal sealed class Counter : IProgress<long>
{
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    public void Report(long value) => Interlocked.Add(ref _value, value);
}

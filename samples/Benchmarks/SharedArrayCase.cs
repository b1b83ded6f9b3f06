using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ParallelGen.Benchmarks;

/// <summary>
/// The shared-array case (docs/shared-state.md): a <see cref="SharedArray{T}"/> of doubles filled in parallel by a
/// <c>Map</c> over index ranges (element i = i × 0.5), beside python/shared_array_bench.py, which fills a
/// <c>multiprocessing.Array('d', n, lock=False)</c> the same way with a <c>Pool</c>. Both pools are warmed up first;
/// each side's figure is the median of the repeats. Also times one thread filling the same array, as a memory-speed
/// reference.
/// <code>dotnet run -c Release --project samples/Benchmarks -- shared-array</code>
/// </summary>
public static partial class SharedArrayCase
{
    public static Command Command()
    {
        var elements = new Option<int>("--elements") { DefaultValueFactory = _ => 100_000_000, Description = "Array length." };
        var workers = new Option<int>("--workers") { DefaultValueFactory = _ => 2, Description = "Pool size on both sides." };
        var ranges = new Option<int>("--ranges") { DefaultValueFactory = _ => 16, Description = "How many index ranges the Map gets." };
        var repeat = new Option<int>("--repeat") { DefaultValueFactory = _ => 3, Description = "Runs per side; the median is reported." };
        var pythonExe = new Option<string>("--python-exe") { DefaultValueFactory = _ => "python3", Description = "Python interpreter." };
        var noPython = new Option<bool>("--no-python") { Description = "Run only the ParallelGen side." };
        var command = new Command("shared-array", "A SharedArray<double> filled by a Map over ranges, beside multiprocessing.Array filled by a Pool.")
        {
            elements, workers, ranges, repeat, pythonExe, noPython,
        };
        command.SetAction(parse =>
        {
            int n = parse.GetValue(elements), w = parse.GetValue(workers), r = parse.GetValue(ranges), k = parse.GetValue(repeat);
            Timings? python = parse.GetValue(noPython) ? null : RunPython(parse.GetValue(pythonExe)!, n, w, r, k);
            (Timings ours, double serial) = RunOurs(n, w, r, k);
            double gb = n * (double)sizeof(double) / 1e9;
            Console.WriteLine();
            Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} CPUs; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            Console.WriteLine($"| {n:N0} doubles ({gb:0.0} GB), {w} workers, {r} ranges; medians of {k} | Python | ParallelGen | ratio |");
            Console.WriteLine("|---|---|---|---|");
            Row("create the array + parallel fill", python?.Total, ours.Total, gb);
            Row("parallel fill alone", python?.Fill, ours.Fill, gb);
            Row("create the array alone (Python zeroes it; a memfd is zeroed on first touch, inside the fill)", python?.Create, ours.Create, null);
            Console.WriteLine($"| one thread in the caller filling a new SharedArray (reference) | - | {serial * 1000:0} ms ({gb / serial:0.00} GB/s) | - |");
            Console.WriteLine();
            Console.WriteLine("| one operation, median of 5 runs of 2,000 | in the caller | from a worker |");
            Console.WriteLine("|---|---|---|");
            double[] local = LocalOperationCosts(2000), remote = RemoteOperationCosts(2000);
            string[] names = ["ProcessDictionary<int, int> indexer set", "ProcessLock Acquire + Release", "ProcessPipe<int> Send", "SharedValue<long> Increment"];
            for (int i = 0; i < names.Length; i++)
            {
                Console.WriteLine($"| {names[i]} | {local[i]:0.###} µs | {remote[i]:0.###} µs |");
            }
            return 0;
        });
        return command;
    }

    private static void Row(string label, double? python, double ours, double? gb)
    {
        string Cell(double seconds) => gb is { } g ? $"{seconds * 1000:0} ms ({g / seconds:0.00} GB/s)" : $"{seconds * 1000:0.0} ms";
        Console.WriteLine(python is { } p
            ? $"| {label} | {Cell(p)} | {Cell(ours)} | {p / ours:0.0}x |"
            : $"| {label} | - | {Cell(ours)} | - |");
    }

    [ProcessParallel]
    public static void FillRange(SharedArray<double> array, int start, int end)
    {
        Span<double> span = array.AsSpan(start, end - start);
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = (start + i) * 0.5;
        }
    }

    private static (Timings Ours, double Serial) RunOurs(int n, int workers, int ranges, int repeat)
    {
        var create = new List<double>();
        var fill = new List<double>();
        var serial = new List<double>();
        using var pool = new ProcessPool(workers);
        pool.Map(Jobs.Remote.Trivial, Enumerable.Range(0, workers * 10), chunkSize: 1); // every worker has started
        for (int run = 0; run < repeat; run++)
        {
            var clock = Stopwatch.StartNew();
            using (var array = new SharedArray<double>(n))
            {
                create.Add(clock.Elapsed.TotalSeconds);
                clock.Restart();
                pool.Map(Remote.FillRange, Enumerable.Range(0, ranges).Select(i => (array, (int)((long)i * n / ranges), (int)((long)(i + 1) * n / ranges))), chunkSize: 1);
                fill.Add(clock.Elapsed.TotalSeconds);
                Check(array, n);
            }

            using (var array = new SharedArray<double>(n))
            {
                clock.Restart();
                FillRange(array, 0, n);
                serial.Add(clock.Elapsed.TotalSeconds);
            }

            Console.WriteLine($"ours: create {create[^1] * 1000:0.0} ms, fill {fill[^1] * 1000:0} ms, one thread {serial[^1] * 1000:0} ms");
        }

        return (Timings.From(create, fill), Median(serial));
    }

    /// <summary>Microseconds per operation, in the process that runs this: the caller (no socket) or a worker (one round trip to the caller's hub).</summary>
    private static double[] LocalOperationCosts(int count)
    {
        using var dictionary = new ProcessDictionary<int, int>();
        using var gate = new ProcessLock();
        var (end, _) = ProcessPipe.Create<int>();
        using var counter = new SharedValue<long>();
        return OperationCosts(dictionary, gate, end, counter, count);
    }

    [ProcessParallel]
    public static double[] OperationCosts(ProcessDictionary<int, int> dictionary, ProcessLock gate, ProcessPipe<int> end, SharedValue<long> counter, int count)
    {
        double Time(Action<int> operation)
        {
            var runs = new List<double>();
            for (int run = 0; run < 5; run++)
            {
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < count; i++)
                {
                    operation(i);
                }

                runs.Add(clock.Elapsed.TotalMicroseconds / count);
            }

            return Median(runs);
        }

        return
        [
            Time(i => dictionary[i] = i),
            Time(_ => gate.Acquire().Dispose()),
            Time(end.Send),
            Time(_ => counter.Increment()),
        ];
    }

    private static double[] RemoteOperationCosts(int count)
    {
        using var pool = new ProcessPool(1);
        using var dictionary = new ProcessDictionary<int, int>();
        using var gate = new ProcessLock();
        var (end, _) = ProcessPipe.Create<int>();
        using var counter = new SharedValue<long>();
        return pool.Apply(Remote.OperationCosts, (dictionary, gate, end, counter, count));
    }

    private static void Check(SharedArray<double> array, int n)
    {
        if (array[n - 1] != (n - 1) * 0.5 || array[n / 2] != n / 2 * 0.5)
        {
            throw new InvalidOperationException("The shared array was not filled as expected.");
        }
    }

    private static Timings RunPython(string pythonExe, int n, int workers, int ranges, int repeat)
    {
        string script = FindScript();
        string json = Path.Combine(Path.GetTempPath(), $"shared_array_bench-{Environment.ProcessId}.json");
        var start = new ProcessStartInfo(pythonExe) { UseShellExecute = false };
        foreach (string arg in new[] { script, "--elements", n.ToString(), "--workers", workers.ToString(), "--ranges", ranges.ToString(), "--repeat", repeat.ToString(), "--json", json })
        {
            start.ArgumentList.Add(arg);
        }

        using (Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + pythonExe))
        {
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{script} exited with code {process.ExitCode}.");
            }
        }

        using JsonDocument result = JsonDocument.Parse(File.ReadAllText(json));
        File.Delete(json);
        List<double> Values(string name) => result.RootElement.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToList();
        return Timings.From(Values("create_s"), Values("fill_s"));
    }

    private static string FindScript()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "samples", "Benchmarks", "python", "shared_array_bench.py");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("samples/Benchmarks/python/shared_array_bench.py not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Medians of the creation time, the fill time, and their sum per run.</summary>
    private sealed record Timings(double Create, double Fill, double Total)
    {
        public static Timings From(List<double> create, List<double> fill) =>
            new(Median(create), Median(fill), Median(create.Zip(fill, (c, f) => c + f).ToList()));
    }

    private static double Median(List<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

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
            (double Create, double Fill)? python = parse.GetValue(noPython) ? null : RunPython(parse.GetValue(pythonExe)!, n, w, r, k);
            (double create, double fill, double serial) = RunOurs(n, w, r, k);
            double gb = n * (double)sizeof(double) / 1e9;
            Console.WriteLine();
            Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} CPUs; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            Console.WriteLine($"| fill {n:N0} doubles ({gb:0.0} GB), {w} workers, {r} ranges | Python | ParallelGen | ratio |");
            Console.WriteLine("|---|---|---|---|");
            Console.WriteLine(python is { } p
                ? $"| parallel fill, median | {p.Fill * 1000:0} ms ({gb / p.Fill:0.00} GB/s) | {fill * 1000:0} ms ({gb / fill:0.00} GB/s) | {p.Fill / fill:0.0}x |"
                : $"| parallel fill, median | - | {fill * 1000:0} ms ({gb / fill:0.00} GB/s) | - |");
            Console.WriteLine(python is { } q
                ? $"| create the array, median | {q.Create * 1000:0} ms | {create * 1000:0.0} ms | {q.Create / create:0}x |"
                : $"| create the array, median | - | {create * 1000:0.0} ms | - |");
            Console.WriteLine($"| one thread in the caller filling it (reference) | - | {serial * 1000:0} ms ({gb / serial:0.00} GB/s) | - |");
            return 0;
        });
        return command;
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

    private static (double Create, double Fill, double Serial) RunOurs(int n, int workers, int ranges, int repeat)
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

        return (Median(create), Median(fill), Median(serial));
    }

    private static void Check(SharedArray<double> array, int n)
    {
        if (array[n - 1] != (n - 1) * 0.5 || array[n / 2] != n / 2 * 0.5)
        {
            throw new InvalidOperationException("The shared array was not filled as expected.");
        }
    }

    private static (double Create, double Fill) RunPython(string pythonExe, int n, int workers, int ranges, int repeat)
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
        return (result.RootElement.GetProperty("create_median_s").GetDouble(), result.RootElement.GetProperty("fill_median_s").GetDouble());
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

    private static double Median(List<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

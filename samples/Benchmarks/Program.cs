using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;
using ParallelGen.Benchmarks;

// Side-by-side benchmark: pool_bench.py (Python's multiprocessing.Pool) first, then the same cases on
// ProcessPool, then one table with both and the ratio. See docs/benchmarks.md.
//   dotnet run -c Release --project samples/Benchmarks -- --python ../shared/peers/python/pool_bench.py
var pythonScript = new Option<string?>("--python")
{
    Description = "Path to pool_bench.py (default: ../shared/peers/python/pool_bench.py from the current directory or the repository root).",
};
var pythonExe = new Option<string>("--python-exe")
{
    Description = "Python interpreter to run pool_bench.py with.",
    DefaultValueFactory = _ => "python3",
};
var pythonJson = new Option<string?>("--python-json")
{
    Description = "Reuse the JSON of an earlier pool_bench.py --json run instead of running Python.",
};
var noPython = new Option<bool>("--no-python") { Description = "Run only the ParallelGen side." };
var quick = new Option<bool>("--quick") { Description = "Small sizes for a smoke test (pool_bench.py --quick's sizes; passed through to Python)." };
var fullExecutor = new Option<bool>("--python-full-executor")
{
    Description = "Let pool_bench.py also time ProcessPoolExecutor.map(chunksize=1) over 1M items (slow; not compared).",
};
var jsonOut = new Option<string?>("--json") { Description = "Also write both sides' results as JSON to this path." };
var markdownOut = new Option<string?>("--markdown") { Description = "Also write the table (Markdown) to this path." };
var analyze = new Option<string[]>("--analyze")
{
    Description = "Instead of the comparison, run the time breakdowns behind docs/benchmarks.md's analysis: all, or some of latency map tasks payload coldstart rss.",
    Arity = ArgumentArity.ZeroOrMore,
    AllowMultipleArgumentsPerToken = true,
};

var root = new RootCommand("ParallelGen vs Python multiprocessing.Pool, side by side (issue 6).")
{
    pythonScript, pythonExe, pythonJson, noPython, quick, fullExecutor, jsonOut, markdownOut, analyze,
};
root.Subcommands.Add(SharedArrayCase.Command()); // dotnet run -c Release --project samples/Benchmarks -- shared-array

root.SetAction(async (parse, cancellationToken) =>
{
    BenchConfig cfg = parse.GetValue(quick) ? BenchConfig.QuickRun : BenchConfig.Full;
    if (parse.GetResult(analyze) is not null)
    {
        await Analysis.RunAsync(cfg, parse.GetValue(analyze) ?? []).ConfigureAwait(false);
        return 0;
    }

    string started = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
    string loadAtStart = Analysis.LoadAverage();
    PythonResults? python = null;
    if (parse.GetValue(pythonJson) is { } reuse)
    {
        python = PythonSide.Parse(File.ReadAllText(reuse));
    }
    else if (!parse.GetValue(noPython))
    {
        string? script = FindScript(parse.GetValue(pythonScript));
        if (script is null)
        {
            Console.Error.WriteLine("pool_bench.py not found: pass --python <path>, or --no-python to run only ParallelGen.");
            return 2;
        }

        python = PythonSide.Run(parse.GetValue(pythonExe)!, script, cfg, parse.GetValue(fullExecutor));
    }

    OurResults ours = await OurBench.RunAsync(cfg).ConfigureAwait(false);

    string machine = Machine(python) + $"; load average {loadAtStart} at start, {Analysis.LoadAverage()} at end";
    string table = Report.Table(ours, python, cfg);
    Console.WriteLine();
    Console.WriteLine($"{started}; {machine}{(cfg.Quick ? "; --quick sizes" : "")}");
    Console.WriteLine();
    Console.WriteLine(table);

    if (parse.GetValue(markdownOut) is { } md)
    {
        File.WriteAllText(md, $"{started}; {machine}{(cfg.Quick ? "; --quick sizes" : "")}\n\n{table}");
    }

    if (parse.GetValue(jsonOut) is { } jsonPath)
    {
        var all = new { started, machine, quick = cfg.Quick, config = cfg, parallelGen = ours, python };
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(all, new JsonSerializerOptions { WriteIndented = true }));
    }

    return 0;
});

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);

static string? FindScript(string? given)
{
    const string Default = "../shared/peers/python/pool_bench.py";
    string relative = given ?? Default;
    if (Path.IsPathRooted(relative))
    {
        return File.Exists(relative) ? relative : null;
    }

    if (File.Exists(relative))
    {
        return Path.GetFullPath(relative);
    }

    // From the repository root (the directory holding ParallelGen.sln above this program).
    for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "ParallelGen.sln")))
        {
            string candidate = Path.GetFullPath(Path.Combine(dir.FullName, relative));
            return File.Exists(candidate) ? candidate : null;
        }
    }

    return null;
}

static string Machine(PythonResults? python)
{
    string cpu = "unknown CPU";
    if (File.Exists("/proc/cpuinfo"))
    {
        cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
    }

    return $"{Environment.ProcessorCount} CPUs ({cpu}), {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.FrameworkDescription}" +
        (python is null ? "" : $", Python {python.Version}");
}

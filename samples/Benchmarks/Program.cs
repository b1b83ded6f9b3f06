using System;
using System.CommandLine;
using System.ComponentModel;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;
using ParallelGen.Benchmarks;

// Side by side, in one invocation: Python's multiprocessing.Pool (python/pool_bench.py, shipped beside this
// program), the .NET peer (StreamJsonRpc child processes, samples/Benchmarks.RpcPeer) and ParallelGen, on the
// same cases; then how cost grows with workers and payload size, and an SVG plot. See docs/benchmarks.md.
//   dotnet run -c Release --project samples/Benchmarks              (add --quick for a smoke test)
var pythonScript = new Option<string?>("--python") { Description = "Run this pool_bench.py instead of the one shipped in python/ (same flags and JSON)." };
var pythonExe = new Option<string>("--python-exe") { Description = "Python interpreter.", DefaultValueFactory = _ => "python3" };
var pythonJson = new Option<string?>("--python-json") { Description = "Reuse the JSON of an earlier pool_bench.py --json run instead of running Python." };
var noPython = new Option<bool>("--no-python") { Description = "Leave out the Python column." };
var peerDll = new Option<string?>("--peer") { Description = "Run this build of the .NET peer (a ParallelGen.Benchmarks.RpcPeer.dll) instead of the one copied beside this program." };
var nativeAot = new Option<string?>("--native-aot") { Description = "The published samples/NativeAot executable for the NativeAOT row of (e) (default: where `dotnet publish samples/NativeAot -c Release -r <rid>` puts it, if there)." };
var noNativeAot = new Option<bool>("--no-native-aot") { Description = "Leave the NativeAOT row of (e) unmeasured." };
var noPeer = new Option<bool>("--no-peer") { Description = "Leave out the .NET peer column." };
var quick = new Option<bool>("--quick") { Description = "Small sizes for a smoke test (pool_bench.py --quick's sizes, passed to every side)." };
var fullExecutor = new Option<bool>("--python-full-executor") { Description = "Let pool_bench.py also time ProcessPoolExecutor.map(chunksize=1) over 1M items (slow; not compared)." };
var jsonOut = new Option<string?>("--json") { Description = "Also write every side's results as JSON to this path." };
var markdownOut = new Option<string?>("--markdown") { Description = "Also write the tables (Markdown) to this path." };
var plotOut = new Option<string>("--plot")
{
    Description = "Where to write the SVG plot of the echo sweep.",
    DefaultValueFactory = _ => Path.Combine(AppContext.BaseDirectory, "benchmark-growth.svg"),
};
var analyze = new Option<string[]>("--analyze")
{
    Description = "Instead of the comparison, run the time breakdowns behind docs/benchmarks.md's analysis: all, or some of latency map tasks payload coldstart rss; on request also start-probes, start-levers and rss-levers (start-up steps; worker environments compared).",
    Arity = ArgumentArity.ZeroOrMore,
    AllowMultipleArgumentsPerToken = true,
};

var soak = new Option<int?>("--soak")
{
    Description = "Instead of the comparison, run the chaos soak for this many seconds (default 300): workers killed at random, every result checked (docs/reliability.md).",
    Arity = ArgumentArity.ZeroOrOne,
};

var root = new RootCommand("ParallelGen beside Python's multiprocessing.Pool and a StreamJsonRpc peer, in one invocation.")
{
    pythonScript, pythonExe, pythonJson, noPython, peerDll, noPeer, nativeAot, noNativeAot, quick, fullExecutor, jsonOut, markdownOut, plotOut, analyze, soak,
};
root.Subcommands.Add(SharedArrayCase.Command()); // dotnet run -c Release --project samples/Benchmarks -- shared-array

root.SetAction(async (parse, cancellationToken) =>
{
    if (parse.GetResult(soak) is not null)
    {
        return SoakJobs.RunSoak(parse.GetValue(soak) ?? 300);
    }

    BenchConfig cfg = parse.GetValue(quick) ? BenchConfig.QuickRun : BenchConfig.Full;
    if (parse.GetResult(analyze) is not null)
    {
        await Analysis.RunAsync(cfg, parse.GetValue(analyze) ?? []).ConfigureAwait(false);
        return 0;
    }

    string started = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
    string loadAtStart = ProcStats.LoadAverage();
    (long Total, long Steal) ticksAtStart = ProcStats.CpuTicks();

    SideResults? python = null;
    string pythonVersion = "?";
    if (parse.GetValue(pythonJson) is { } reuse)
    {
        string text = File.ReadAllText(reuse);
        python = PoolBenchJson.Parse("Python", text);
        pythonVersion = PoolBenchJson.Version(text) ?? "?";
    }
    else if (!parse.GetValue(noPython))
    {
        string? script = PythonSide.FindScript(parse.GetValue(pythonScript));
        if (script is null)
        {
            Console.Error.WriteLine($"pool_bench.py not found ({parse.GetValue(pythonScript) ?? Path.Combine(AppContext.BaseDirectory, PythonSide.BundledScript)}); pass --python PATH, or --no-python.");
            return 2;
        }

        try
        {
            (python, pythonVersion, string table) = PythonSide.Run(parse.GetValue(pythonExe)!, script, cfg, parse.GetValue(fullExecutor));
            Console.WriteLine("pool_bench.py's own table (multiprocessing.Pool and ProcessPoolExecutor):");
            Console.WriteLine(table);
            Console.WriteLine();
        }
        catch (Win32Exception e)
        {
            Console.Error.WriteLine($"cannot start {parse.GetValue(pythonExe)} ({e.Message}): install Python 3, pass --python-exe PATH, or --no-python.");
            return 2;
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"Python's side failed: {e.Message} (a --python script must take pool_bench.py's flags).");
            return 2;
        }
    }

    SideResults? peer = null;
    if (!parse.GetValue(noPeer))
    {
        string? dll = parse.GetValue(peerDll) ?? ChildRun.Bundled(PeerSide.BundledPeer);
        if (dll is null || !File.Exists(dll))
        {
            Console.Error.WriteLine($"the .NET peer was not found ({dll ?? Path.Combine(AppContext.BaseDirectory, PeerSide.BundledPeer)}): build samples/Benchmarks again, pass --peer PATH, or --no-peer.");
            return 2;
        }

        string table;
        try
        {
            (peer, table) = PeerSide.Run(dll, cfg);
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"the .NET peer failed: {e.Message}");
            return 2;
        }

        Console.WriteLine("the .NET peer's own table:");
        Console.WriteLine(table);
        Console.WriteLine();
    }

    string? aotExecutable = parse.GetValue(noNativeAot) ? null : parse.GetValue(nativeAot) ?? NativeAotSide.FindPublished();
    if (aotExecutable is not null && !File.Exists(aotExecutable))
    {
        Console.Error.WriteLine($"--native-aot {aotExecutable}: no such file ({NativeAotSide.PublishCommand} puts it in samples/NativeAot/bin/Release/net10.0/<rid>/publish/).");
        return 2;
    }

    SideResults ours = await OurBench.RunAsync(cfg, aotExecutable).ConfigureAwait(false);

    string heading = $"{started}; {Machine(pythonVersion, python is not null)}; load average {loadAtStart} at start, {ProcStats.LoadAverage()} at end; " +
        $"CPU time stolen by the hypervisor {ProcStats.StealSince(ticksAtStart)}" +
        (cfg.Quick ? "; --quick sizes" : "");
    string report = heading + "\n\n" + Report.Table(ours, python, peer, cfg) + "\n" + GrowthReport.Tables(ours.Growth!, python?.Growth, Environment.ProcessorCount);
    Console.WriteLine();
    Console.WriteLine(report);

    string plot = parse.GetValue(plotOut)!;
    File.WriteAllText(plot, SvgPlot.Echo(ours.Growth!, python?.Growth, $"byte[] echo on a pool of {cfg.Workers} workers, {started}"));
    Console.WriteLine($"plot: {Path.GetFullPath(plot)}");

    if (parse.GetValue(markdownOut) is { } md)
    {
        File.WriteAllText(md, report);
    }

    if (parse.GetValue(jsonOut) is { } jsonPath)
    {
        var all = new { started, heading, config = cfg, parallelGen = ours, python, peer };
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(all, new JsonSerializerOptions { WriteIndented = true }));
    }

    return 0;
});

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);

static string Machine(string pythonVersion, bool withPython)
{
    string cpu = "unknown CPU";
    if (File.Exists("/proc/cpuinfo"))
    {
        cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
    }

    return $"{Environment.ProcessorCount} CPUs ({cpu}), {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.FrameworkDescription}" +
        (withPython ? $", Python {pythonVersion}" : "");
}

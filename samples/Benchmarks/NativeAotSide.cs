using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ParallelGen.Benchmarks;

/// <summary>
/// Case (e) for a NativeAOT app: runs the published samples/NativeAot executable in its timing mode
/// (<c>--bench-start RUNS WORKERS</c>, samples/NativeAot/StartBench.cs), which starts its own pools, so that parent
/// and workers are both native code, and reads the JSON it prints: its (e) and its idle workers' RSS.
/// </summary>
public static class NativeAotSide
{
    /// <summary>Its entry in <see cref="SideResults.ColdStart"/>.</summary>
    public const string Key = "nativeaot";

    /// <summary>How to get the executable, for the table's footnote and the error message.</summary>
    public static string PublishCommand => $"dotnet publish samples/NativeAot -c Release -r {RuntimeInformation.RuntimeIdentifier}";

    /// <summary>
    /// Where <see cref="PublishCommand"/> puts the executable, found from this program's own folder
    /// (samples/Benchmarks/bin/Release/net10.0/ → samples/NativeAot/bin/Release/net10.0/&lt;rid&gt;/publish/), or null if absent.
    /// </summary>
    public static string? FindPublished()
    {
        string name = OperatingSystem.IsWindows() ? "NativeAot.exe" : "NativeAot";
        string path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "NativeAot", "bin", "Release", "net10.0",
            RuntimeInformation.RuntimeIdentifier, "publish", name));
        return File.Exists(path) ? path : null;
    }

    /// <summary>Its (e) figures, and its idle workers' largest RSS (decimal MB).</summary>
    public static (ColdStartSummary Start, double IdleWorkerRssMb) Run(string executable, BenchConfig cfg)
    {
        var process = new ProcessStartInfo(executable);
        process.ArgumentList.Add("--bench-start");
        process.ArgumentList.Add(cfg.ColdRuns.ToString(CultureInfo.InvariantCulture));
        process.ArgumentList.Add(cfg.Workers.ToString(CultureInfo.InvariantCulture));
        using JsonDocument json = JsonDocument.Parse(ChildRun.Run(process));
        JsonElement root = json.RootElement;
        var start = new ColdStartSummary(
            root.GetProperty("runs").GetInt32(),
            root.GetProperty("firstResultMedianMs").GetDouble(),
            root.GetProperty("firstResultVeryFirstMs").GetDouble(),
            root.GetProperty("firstResultMinMs").GetDouble(),
            root.GetProperty("constructorMedianMs").GetDouble());
        return (start, root.GetProperty("idleWorkerRssMaxMb").GetDouble());
    }
}

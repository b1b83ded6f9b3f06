using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace ParallelGen.Hosting;

/// <summary>
/// Builds the command line that starts a worker. A framework-dependent app (console app, apphost, test
/// host) starts <c>dotnet exec --runtimeconfig &lt;app&gt;.runtimeconfig.json --depsfile &lt;app&gt;.deps.json
/// ParallelGen.dll</c>: the app's deps file puts the app's own assemblies on the worker's probing path, so the
/// worker can load the assemblies that declare <c>[ProcessParallel]</c> methods. Nothing is looked up on PATH.
/// </summary>
internal static class WorkerLauncher
{
    /// <summary>Variables that attach profilers (coverage, APM) or diagnostic ports; a worker inherits none of them.</summary>
    private static readonly string[] s_profilerVariablePrefixes =
    [
        "CORECLR_ENABLE_PROFILING", "CORECLR_PROFILER", "COR_ENABLE_PROFILING", "COR_PROFILER",
        "DOTNET_EnableDiagnostics", "COMPlus_EnableDiagnostics", "DOTNET_DiagnosticPorts", "COMPlus_DiagnosticPorts",
        "DOTNET_DefaultDiagnosticPortSuspend", "COMPlus_DefaultDiagnosticPortSuspend", "MicrosoftInstrumentationEngine",
    ];

    public static ProcessStartInfo CreateStartInfo(WorkerArguments arguments, string token)
    {
        var startInfo = new ProcessStartInfo { UseShellExecute = false };
        string? runtimeAssembly = FindRuntimeAssemblyFile();
        if (runtimeAssembly is null || IsSelfContained())
        {
            // Single-file, NativeAOT and self-contained apps have no shared dotnet host to start ParallelGen.dll
            // with: they start themselves again, and their Main hands control to the worker first.
            startInfo.FileName = Environment.ProcessPath
                ?? throw new WorkerStartException("Cannot start a worker: this process has no executable path.");
        }
        else
        {
            (string runtimeConfig, string depsFile) = FindAppFiles();
            startInfo.FileName = FindMuxer();
            startInfo.ArgumentList.Add("exec");
            startInfo.ArgumentList.Add("--runtimeconfig");
            startInfo.ArgumentList.Add(runtimeConfig);
            startInfo.ArgumentList.Add("--depsfile");
            startInfo.ArgumentList.Add(depsFile);
            startInfo.ArgumentList.Add(runtimeAssembly);
        }

        foreach (string argument in arguments.ToArray())
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (string name in ProfilerVariables(startInfo.Environment))
        {
            startInfo.Environment.Remove(name);
        }

        // Workers move large arrays in and out all day; keeping freed GC memory mapped saves the kernel zeroing
        // fresh pages for every large payload (measured: about half the time of a 100 MB echo). The memory still goes
        // back to the system about a second after the last large call (Hosting/IdleTrimmer: an aggressive collection
        // decommits it whatever this setting says).
        startInfo.Environment.TryAdd("DOTNET_GCRetainVM", "1");
        startInfo.Environment[WorkerArguments.TokenVariable] = token;
        return startInfo;
    }

    /// <summary>
    /// ParallelGen.dll on disk, as the host listed it among the app's assemblies (the trusted platform assemblies),
    /// or null when there is none: a single-file bundle lists only the framework there, and NativeAOT has no list.
    /// Reading the host's list rather than <c>Assembly.Location</c> keeps the runtime single-file and AOT clean.
    /// </summary>
    private static string? FindRuntimeAssemblyFile()
    {
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is not string assemblies)
        {
            return null;
        }

        string fileName = typeof(WorkerLauncher).Assembly.GetName().Name + ".dll";
        foreach (string path in assemblies.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (Path.GetFileName(path).Equals(fileName, StringComparison.Ordinal) && File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>A self-contained app carries its own runtime: the host records no shared framework for it.</summary>
    private static bool IsSelfContained() => string.IsNullOrEmpty(AppContext.GetData("FX_DEPS_FILE") as string);

    public static string Describe(ProcessStartInfo startInfo) =>
        startInfo.FileName + " " + string.Join(" ", startInfo.ArgumentList);

    private static List<string> ProfilerVariables(IDictionary<string, string?> environment)
    {
        var matches = new List<string>();
        foreach ((string name, string? value) in environment)
        {
            if (IsDiagnosticsSwitchedOff(name, value))
            {
                continue;
            }

            foreach (string prefix in s_profilerVariablePrefixes)
            {
                if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    matches.Add(name);
                    break;
                }
            }
        }

        return matches;
    }

    /// <summary>
    /// An operator's <c>DOTNET_EnableDiagnostics=0</c> (or <c>_IPC</c>, <c>_Debugger</c>, <c>_Profiler</c>, or the
    /// <c>COMPlus_</c> spelling) turns the diagnostics socket, debugger and profiler attach off. It protects the
    /// worker: workers keep it. Only values that switch something on are removed.
    /// </summary>
    private static bool IsDiagnosticsSwitchedOff(string name, string? value) =>
        value == "0"
        && (name.StartsWith("DOTNET_EnableDiagnostics", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("COMPlus_EnableDiagnostics", StringComparison.OrdinalIgnoreCase));

    /// <summary>The dotnet host ("muxer") that runs this process, found without consulting PATH.</summary>
    private static string FindMuxer()
    {
        var tried = new List<string>();
        string muxerName = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";

        string? processPath = Environment.ProcessPath;
        if (processPath is not null && Path.GetFileName(processPath).Equals(muxerName, StringComparison.OrdinalIgnoreCase))
        {
            return processPath;
        }

        tried.Add($"the current process ({processPath ?? "unknown"}) is not {muxerName}");

        string? hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath))
        {
            return hostPath;
        }

        tried.Add($"DOTNET_HOST_PATH is '{hostPath}'");

        // <root>/shared/Microsoft.NETCore.App/<version>/ → <root>/dotnet
        string runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        string candidate = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", "..", muxerName));
        if (File.Exists(candidate))
        {
            return candidate;
        }

        tried.Add($"{candidate} does not exist");
        throw new WorkerStartException("Cannot find the dotnet host to start workers: " + string.Join("; ", tried) + ".");
    }

    /// <summary>
    /// The running app's runtimeconfig and deps files. Under a test host the entry assembly is testhost.dll,
    /// but the first deps file the host loaded is the test project's, which is the one that lists the code.
    /// </summary>
    private static (string RuntimeConfig, string DepsFile) FindAppFiles()
    {
        var tried = new List<string>();
        if (AppContext.GetData("APP_CONTEXT_DEPS_FILES") is string depsFiles)
        {
            foreach (string depsFile in depsFiles.Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                if (IsFrameworkFile(depsFile))
                {
                    continue;
                }

                if (TryPair(depsFile, tried, out (string, string) pair))
                {
                    return pair;
                }
            }
        }

        string? entry = Assembly.GetEntryAssembly()?.GetName().Name;
        if (entry is not null && TryPair(Path.Combine(AppContext.BaseDirectory, entry + ".deps.json"), tried, out (string, string) entryPair))
        {
            return entryPair;
        }

        throw new WorkerStartException("Cannot find this app's runtimeconfig.json and deps.json to start workers with: " + string.Join("; ", tried) + ".");
    }

    private static bool IsFrameworkFile(string path)
    {
        // The frameworks' own deps files live under <dotnet root>/shared/<framework>/<version>/, the runtime's
        // directory's grandparent. Matching "/shared/" anywhere in the path would also skip an app that merely lives
        // in a directory called "shared".
        string frameworks = Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", ".."));
        return path.StartsWith(frameworks, StringComparison.Ordinal);
    }

    private static bool TryPair(string depsFile, List<string> tried, out (string RuntimeConfig, string DepsFile) pair)
    {
        string runtimeConfig = depsFile.EndsWith(".deps.json", StringComparison.OrdinalIgnoreCase)
            ? depsFile[..^".deps.json".Length] + ".runtimeconfig.json"
            : Path.ChangeExtension(depsFile, ".runtimeconfig.json");
        if (File.Exists(depsFile) && File.Exists(runtimeConfig))
        {
            pair = (runtimeConfig, depsFile);
            return true;
        }

        tried.Add($"{runtimeConfig} or {depsFile} missing");
        pair = default;
        return false;
    }
}

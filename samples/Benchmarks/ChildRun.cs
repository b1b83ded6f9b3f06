using System;
using System.Diagnostics;
using System.IO;

namespace ParallelGen.Benchmarks;

/// <summary>Starts the other sides (Python, the .NET peer) as child processes and collects what they print.</summary>
public static class ChildRun
{
    /// <summary>Runs to the end; stdout is returned (each side prints its own table there), stderr passes through as progress.</summary>
    public static string Run(ProcessStartInfo start)
    {
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        OurBench.Log($"running: {start.FileName} {string.Join(' ', start.ArgumentList)}");
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + start.FileName);
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(start.FileName)} {string.Join(' ', start.ArgumentList)} exited with code {process.ExitCode}");
        }

        return output;
    }

    /// <summary>
    /// The dotnet host that runs this program, found as ParallelGen finds it for its workers: this process
    /// if it is the host, else DOTNET_HOST_PATH, else the host beside the running shared framework.
    /// </summary>
    public static string DotnetHost()
    {
        string name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } self && Path.GetFileName(self).Equals(name, StringComparison.OrdinalIgnoreCase))
        {
            return self;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        // <root>/shared/Microsoft.NETCore.App/<version>/ → <root>/dotnet
        string beside = Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", name));
        return File.Exists(beside) ? beside : name;
    }

    /// <summary>A file that ships in this program's output folder (python/, rpcpeer/), wherever it was started from.</summary>
    public static string? Bundled(string relativePath)
    {
        string path = Path.Combine(AppContext.BaseDirectory, relativePath);
        return File.Exists(path) ? path : null;
    }
}

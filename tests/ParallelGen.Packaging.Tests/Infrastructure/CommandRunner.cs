using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using NUnit.Framework;

namespace ParallelGen.Packaging.Tests.Infrastructure;

/// <summary>The outcome of one command: its exit code, interleaved stdout and stderr, and how long it took.</summary>
internal sealed record CommandResult(string CommandLine, int ExitCode, string Output, TimeSpan Elapsed)
{
    public override string ToString() => $"$ {CommandLine}\n(exit {ExitCode} after {Elapsed.TotalSeconds:F1} s)\n{Output}";
}

/// <summary>
/// Runs child processes (dotnet CLI, the consumer app) with a bounded timeout: on expiry the whole process tree is
/// killed and the test fails with the output so far. The environment is scrubbed of the variables a test host
/// sets for itself (MSBuild, VSTest, DOTNET_HOST_PATH), so each child sees what a user's shell would give it.
/// </summary>
internal static class CommandRunner
{
    private static readonly string[] s_scrubbedPrefixes = ["MSBUILD", "VSTEST", "TESTINGPLATFORM", "DOTNET_HOST_PATH", "NUGET_PACKAGES"];

    public static string DotnetHost { get; } = FindDotnet();

    public static CommandResult Run(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (string name in new List<string>(startInfo.Environment.Keys))
        {
            foreach (string prefix in s_scrubbedPrefixes)
            {
                if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    startInfo.Environment.Remove(name);
                    break;
                }
            }
        }

        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        startInfo.Environment["MSBUILDTERMINALLOGGER"] = "off";
        // No MSBuild nodes or compiler servers outliving the command (they would also hold our output pipes open).
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        startInfo.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        startInfo.Environment["UseSharedCompilation"] = "false";
        if (environment is not null)
        {
            foreach (KeyValuePair<string, string> pair in environment)
            {
                startInfo.Environment[pair.Key] = pair.Value;
            }
        }

        string commandLine = fileName + " " + string.Join(" ", startInfo.ArgumentList);
        var output = new StringBuilder();
        using var stdoutDone = new ManualResetEventSlim();
        using var stderrDone = new ManualResetEventSlim();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(e.Data, stdoutDone);
        process.ErrorDataReceived += (_, e) => Append(e.Data, stderrDone);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
            Assert.Fail($"Timed out after {timeout.TotalSeconds:F0} s, killed: {commandLine}\n{Snapshot()}");
        }

        // Grandchildren (workers) may hold the pipes a moment longer; wait for both streams' EOF, bounded.
        stdoutDone.Wait(TimeSpan.FromSeconds(15));
        stderrDone.Wait(TimeSpan.FromSeconds(15));
        stopwatch.Stop();
        var result = new CommandResult(commandLine, process.ExitCode, Snapshot(), stopwatch.Elapsed);
        TestContext.Progress.WriteLine($"[packaging] {result.Elapsed.TotalSeconds,6:F1} s  exit {result.ExitCode}  {commandLine}");
        return result;

        void Append(string? line, ManualResetEventSlim done)
        {
            if (line is null)
            {
                done.Set();
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }
        }

        string Snapshot()
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Runs and fails the test, with the full output, unless the command exits with 0.</summary>
    public static CommandResult RunChecked(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        CommandResult result = Run(fileName, arguments, workingDirectory, timeout, environment);
        if (result.ExitCode != 0)
        {
            Assert.Fail($"Command failed:\n{result}");
        }

        return result;
    }

    /// <summary>The dotnet host running these tests (never a bare "dotnet" from PATH).</summary>
    private static string FindDotnet()
    {
        string? hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath))
        {
            return hostPath;
        }

        string name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        string? processPath = Environment.ProcessPath;
        if (processPath is not null && Path.GetFileName(processPath) == name)
        {
            return processPath;
        }

        string candidate = Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", name));
        return File.Exists(candidate) ? candidate : name;
    }
}

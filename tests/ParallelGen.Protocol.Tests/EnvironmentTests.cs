using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using ParallelGen.Protocol.Tests.Infrastructure;
using Shouldly;

namespace ParallelGen.Protocol.Tests;

/// <summary>
/// The parent runs under a profiler or diagnostics tool (coverage, APM, dotnet-trace): its workers must inherit none of
/// those variables. Checked both as the worker's .NET code sees its environment and in the environment block the
/// kernel holds (/proc/&lt;pid&gt;/environ), which is what the runtime read at startup.
/// </summary>
public class EnvironmentTests
{
    private static readonly Dictionary<string, string> s_variables = new()
    {
        ["CORECLR_ENABLE_PROFILING"] = "1",
        ["CORECLR_PROFILER"] = "{11111111-2222-3333-4444-555555555555}",
        ["CORECLR_PROFILER_PATH"] = "/nonexistent/libparallelgen-test-profiler.so",
        ["CORECLR_PROFILER_PATH_64"] = "/nonexistent/libparallelgen-test-profiler.so",
        ["COR_ENABLE_PROFILING"] = "1",
        ["COR_PROFILER"] = "{11111111-2222-3333-4444-555555555555}",
        ["DOTNET_EnableDiagnostics"] = "1",
        // The same runtime setting under its legacy prefix, which the runtime still honours.
        ["COMPlus_EnableDiagnostics"] = "1",
        // A diagnostics tool's port (dotnet-trace, dotnet-monitor); "nosuspend" so a leak cannot stall the worker here.
        ["DOTNET_DiagnosticPorts"] = "/nonexistent/parallelgen-test-port.sock,nosuspend",
    };

    private string[] _managed = [];
    private Dictionary<string, string> _kernel = new();

    [OneTimeSetUp]
    public void StartAWorkerUnderAProfiledParent()
    {
        var saved = s_variables.Keys.ToDictionary(name => name, Environment.GetEnvironmentVariable);
        try
        {
            foreach ((string name, string value) in s_variables)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            using var pool = new ProcessPool(1);
            int worker = pool.Apply(ProtocolJobs.Remote.ProcessId);
            _kernel = WorkerProc.Environment(worker);
            _managed = pool.Apply(ProtocolJobs.Remote.EnvironmentVariables);
        }
        finally
        {
            foreach ((string name, string? value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    [TestCase("CORECLR_ENABLE_PROFILING")]
    [TestCase("CORECLR_PROFILER")]
    [TestCase("CORECLR_PROFILER_PATH")]
    [TestCase("CORECLR_PROFILER_PATH_64")]
    [TestCase("COR_ENABLE_PROFILING")]
    [TestCase("COR_PROFILER")]
    [TestCase("DOTNET_EnableDiagnostics")]
    [TestCase("COMPlus_EnableDiagnostics")]
    [TestCase("DOTNET_DiagnosticPorts")]
    public void WorkerDoesNotInherit(string name)
    {
        _kernel.Keys.ShouldNotContain(name, $"/proc environ of the worker has {name}");
        _managed.ShouldNotContain(v => v.StartsWith(name + "=", StringComparison.OrdinalIgnoreCase), $"the worker's Environment has {name}");
    }

    [Test]
    public void WorkerStillInheritsOrdinaryVariables()
    {
        _kernel.ShouldContainKey("PATH");
        _managed.ShouldContain(v => v.StartsWith("PATH=", StringComparison.Ordinal));
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using NUnit.Framework;
using ParallelGen.Protocol.Tests.Infrastructure;
using Shouldly;

namespace ParallelGen.Protocol.Tests;

/// <summary>
/// An operator who runs the app with DOTNET_EnableDiagnostics=0 has switched the diagnostics socket, debugger and
/// profiler attach off. Workers must keep that switch: removing it (as the profiler variables are removed) would turn
/// their diagnostics socket back on.
/// </summary>
public class OperatorDiagnosticsOffTests
{
    [TestCase("DOTNET_EnableDiagnostics")]
    [TestCase("COMPlus_EnableDiagnostics")]
    public void DiagnosticsSwitchedOffInTheParent_StayOffInTheWorkers(string name)
    {
        string? saved = Environment.GetEnvironmentVariable(name);
        int worker;
        Dictionary<string, string> environment;
        string[] sockets;
        try
        {
            Environment.SetEnvironmentVariable(name, "0");
            using var pool = new ProcessPool(1);
            worker = pool.Apply(ProtocolJobs.Remote.ProcessId);
            environment = WorkerProc.Environment(worker);
            // Made at runtime start-up when diagnostics are on; the worker is up and answering by now.
            sockets = Directory.GetFiles(Path.GetTempPath(), $"dotnet-diagnostic-{worker}-*-socket");
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, saved);
        }

        environment.GetValueOrDefault(name).ShouldBe("0", $"worker {worker} lost the operator's {name}=0");
        sockets.ShouldBeEmpty($"worker {worker} opened a diagnostics socket although the operator switched diagnostics off");
    }
}

using System;
using NUnit.Framework;
using ParallelGen.IntegrationTests.Jobs;
using Shouldly;

namespace ParallelGen.IntegrationTests;

/// <summary><c>WorkerProcess.Start</c>: one call in a dedicated new process (Python's <c>Process</c>).</summary>
public class WorkerProcessTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(60);

    [Test]
    public void Start_RunsTheCallInANewProcess_ResultAndExitCode()
    {
        WorkerProcess<int> process = WorkerProcess.Start(Shapes.Remote.ProcessIdOf, 1);
        process.Id.ShouldNotBe(Environment.ProcessId);
        process.Join(s_patience).ShouldBeTrue();
        process.IsAlive.ShouldBeFalse();
        process.Result.Get(s_patience).ShouldBe(process.Id);
        process.ExitCode.ShouldBe(0);
    }

    [Test]
    public void Start_VoidParameterlessMethod_Completes()
    {
        WorkerProcess process = WorkerProcess.Start(Shapes.Remote.Ping);
        process.Join(s_patience).ShouldBeTrue();
        process.Result.Get(s_patience);
    }

    [Test]
    public void Start_MethodCallsEnvironmentExit_ExitCodeIsThatCode()
    {
        WorkerProcess<int> process = WorkerProcess.Start(Failing.Remote.ExitWorker, 5);
        process.Join(s_patience).ShouldBeTrue();
        process.ExitCode.ShouldBe(5);
        Should.Throw<WorkerCrashedException>(() => process.Result.Get(s_patience));
    }

    [Test]
    public void Start_MethodThrows_ResultThrowsRemoteException()
    {
        WorkerProcess<int> process = WorkerProcess.Start(Failing.Remote.Fail, "in a process");
        RemoteException error = Should.Throw<RemoteException>(() => process.Result.Get(s_patience));
        error.RemoteType.ShouldBe("System.InvalidOperationException");
        error.Message.ShouldBe("in a process");
        process.Join(s_patience).ShouldBeTrue();
    }

    [Test]
    public void Kill_EndsAHangingProcess()
    {
        WorkerProcess<int> process = WorkerProcess.Start(Setup.Remote.Hang, "hang");
        process.IsAlive.ShouldBeTrue();
        process.Kill();
        process.Join(s_patience).ShouldBeTrue();
        process.IsAlive.ShouldBeFalse();
        process.ExitCode.ShouldNotBeNull();
        Should.Throw<Exception>(() => process.Result.Get(s_patience));
    }
}

using System;
using System.IO;
using NUnit.Framework;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

public class WorkerProcessTests
{
    private static readonly TimeSpan s_generous = TimeSpan.FromSeconds(30);

    [Test]
    public void Start_RunsOneCallInANewProcess_ThatExitsWithZero()
    {
        WorkerProcess<int> process = WorkerProcess.Start(HandWrittenJobs.Remote.ProcessId);
        process.Id.ShouldNotBe(Environment.ProcessId);
        process.Result.Get(s_generous).ShouldBe(process.Id);
        process.Join(s_generous).ShouldBeTrue();
        process.IsAlive.ShouldBeFalse();
        process.ExitCode.ShouldBe(0);
    }

    [Test]
    public void Start_MethodCallsEnvironmentExit_ExitCodeIsItsCode()
    {
        WorkerProcess<int> process = WorkerProcess.Start(HandWrittenJobs.Remote.Crash, 5);
        process.Join(s_generous).ShouldBeTrue();
        process.ExitCode.ShouldBe(5);
        Should.Throw<WorkerCrashedException>(() => process.Result.Get(s_generous)).ExitCode.ShouldBe(5);
    }

    [Test]
    public void Start_MethodThrows_ExitCodeIsOneLikePython()
    {
        WorkerProcess<int> process = WorkerProcess.Start(HandWrittenJobs.Remote.Fail, "in a process");
        Should.Throw<RemoteException>(() => process.Result.Get(s_generous)).Message.ShouldBe("in a process");
        process.Join(s_generous).ShouldBeTrue();
        process.ExitCode.ShouldBe(1);
    }

    [Test]
    public void Kill_StopsARunningProcess()
    {
        using var capture = new ConsoleCapture();
        WorkerProcess<int> process = WorkerProcess.Start(HandWrittenJobs.Remote.WaitForCancellation, "worker-process-running");
        capture.WaitFor("worker-process-running", s_generous).ShouldBeTrue();
        process.IsAlive.ShouldBeTrue();
        process.ExitCode.ShouldBeNull();

        process.Kill();

        process.Join(s_generous).ShouldBeTrue();
        process.ExitCode.ShouldBe(137);
        Should.Throw<WorkerCrashedException>(() => process.Result.Get(s_generous)).Signal.ShouldBe(9);
    }

    [Test]
    public void Start_VoidMethod_ResultIsNonGeneric()
    {
        using var capture = new ConsoleCapture();
        WorkerProcess process = WorkerProcess.Start(HandWrittenJobs.Remote.Print, "printed by a worker process");
        process.Result.Get(s_generous);
        process.Join(s_generous).ShouldBeTrue();
        process.ExitCode.ShouldBe(0);
        capture.Text.ShouldContain("printed by a worker process");
    }
    [TestCase(false, 0)]
    [TestCase(true, 1)]
    public void Start_CallLeavesAForegroundThread_TheProcessWaitsForIt_ThenExitsWithTheCallsCode(bool fail, int exitCode)
    {
        string directory = Directory.CreateTempSubdirectory("parallelgen-lingering-").FullName;
        try
        {
            WorkerProcess<int> process = WorkerProcess.Start(LingeringJobs.Remote.StartForegroundWriter, (directory, fail));
            if (fail)
            {
                Should.Throw<RemoteException>(() => process.Result.Get(s_generous));
            }
            else
            {
                process.Result.Get(s_generous).ShouldBe(0);
            }

            // The call has returned; its thread still waits for the go file, so the process must still be there.
            process.IsAlive.ShouldBeTrue();
            File.WriteAllText(Path.Combine(directory, LingeringJobs.GoFile), "");

            process.Join(s_generous).ShouldBeTrue();
            File.ReadAllText(Path.Combine(directory, LingeringJobs.DoneFile)).ShouldBe(LingeringJobs.DoneText);
            process.ExitCode.ShouldBe(exitCode);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

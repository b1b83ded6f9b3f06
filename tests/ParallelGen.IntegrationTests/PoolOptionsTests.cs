using System;
using System.Linq;
using NUnit.Framework;
using ParallelGen.IntegrationTests.Jobs;
using Shouldly;

namespace ParallelGen.IntegrationTests;

/// <summary><see cref="ProcessPoolOptions"/> with generated handles; each test starts a pool of its own.</summary>
public class PoolOptionsTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(60);

    [Test]
    public void Initializer_RunsInEveryWorker_BeforeItsTasks()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions
        {
            Processes = 2,
            Initializer = ProcessInitializer.Create(Setup.Remote.Init, ("hi", 2)),
        });
        string?[] seen = Enumerable.Range(0, 20).Select(_ => pool.ApplyAsync(Setup.Remote.Greeting)).ToArray().Select(r => r.Get(s_patience)).ToArray();
        seen.ShouldAllBe(greeting => greeting == "hihi");
    }

    [Test]
    public void MaxTasksPerChild_ReplacesWorkers_AndInitializerRunsInReplacements()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions
        {
            Processes = 1,
            MaxTasksPerChild = 2,
            Initializer = ProcessInitializer.Create(Setup.Remote.Init, ("x", 3)),
        });
        int[] pids = Enumerable.Range(0, 6).Select(_ => pool.Apply(Shapes.Remote.ProcessId)).ToArray();
        pids.Distinct().Count().ShouldBe(3, "one worker for every two tasks");
        pool.Apply(Setup.Remote.Greeting).ShouldBe("xxx");
    }

    [Test]
    public void TaskTimeout_StopsAHangingCall_WithTimeoutException_AndThePoolGoesOn()
    {
        using var capture = new ConsoleCapture();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, TaskTimeout = TimeSpan.FromSeconds(1) });
        string announce = "hanging-" + Guid.NewGuid().ToString("N");
        AsyncResult<int> hanging = pool.ApplyAsync(Setup.Remote.Hang, announce);
        capture.WaitFor(announce, s_patience).ShouldBeTrue("the call never started");

        Should.Throw<TimeoutException>(() => hanging.Get(s_patience));
        pool.Apply(Shapes.Remote.Square, 4).ShouldBe(16);
    }

    [Test]
    public void MaxRetries_RunsACallAgainAfterItsWorkerCrashed()
    {
        string marker = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "parallelgen-it-retry-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxRetries = 1 });
            int pid = pool.ApplyAsync(Failing.Remote.ExitFirstTime, marker).Get(s_patience);
            int crashed = int.Parse(System.IO.File.ReadAllText(marker), System.Globalization.CultureInfo.InvariantCulture);
            pid.ShouldNotBe(crashed, "the retry ran in the replacement worker");
        }
        finally
        {
            System.IO.File.Delete(marker);
        }
    }

    [Test]
    public void WithoutMaxRetries_ACrashFailsTheCall()
    {
        string marker = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "parallelgen-it-retry-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var pool = new ProcessPool(1);
            Should.Throw<WorkerCrashedException>(() => pool.ApplyAsync(Failing.Remote.ExitFirstTime, marker).Get(s_patience)).ExitCode.ShouldBe(9);
        }
        finally
        {
            System.IO.File.Delete(marker);
        }
    }

    [Test]
    public void InProcess_RunsCallsInThisProcess_ThroughTheSameHandles()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, InProcess = true });
        pool.Apply(Shapes.Remote.ProcessId).ShouldBe(Environment.ProcessId);
        pool.Map(Shapes.Remote.Square, Enumerable.Range(0, 100), chunkSize: 7).ShouldBe(Enumerable.Range(0, 100).Select(x => x * x).ToArray());
        pool.Apply(Shapes.Remote.Dot, ([1.0, 2.0], [3.0, 4.0])).ShouldBe(11.0);
        pool.Apply(DataJobs.Remote.Greet, null).ShouldBeNull();
        RemoteException error = Should.Throw<RemoteException>(() => pool.Apply(Failing.Remote.Fail, "local"));
        error.RemoteType.ShouldBe("System.InvalidOperationException");
        error.Message.ShouldBe("local");
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Shouldly;

namespace ParallelGen.Contract;

/// <summary>
/// What every backend promises, held to the same tests: a subclass names a backend and what it cannot do. The
/// verbs, ordering, errors, cancellation, retries, timeouts, recycling and Close/Join/Terminate mean the same
/// whatever runs the calls.
/// </summary>
[NonParallelizable]
public abstract class BackendContract
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private ProcessPool? _shared;

    /// <summary>The backend under test.</summary>
    protected abstract PoolBackend Backend { get; }

    /// <summary>True where a worker that dies takes only itself down (not this test process).</summary>
    protected abstract bool IsolatesCrashes { get; }

    /// <summary>True where each worker is its own process, so a replaced worker has a new process id.</summary>
    protected abstract bool WorkersAreProcesses { get; }

    /// <summary>True where a pool's Initializer can run first in each of its workers (not where workers are shared by pools).</summary>
    protected virtual bool SupportsInitializer => true;

    /// <summary>A pool of two workers shared by the tests that need no options of their own.</summary>
    protected ProcessPool Shared => _shared ?? throw new InvalidOperationException("The shared pool is not running.");

    [OneTimeSetUp]
    public void StartSharedPool() => _shared = NewPool(new ProcessPoolOptions { Processes = 2 });

    [OneTimeTearDown]
    public void StopSharedPool() => _shared?.Dispose();

    /// <summary>A pool on this backend, with <paramref name="options"/> otherwise.</summary>
    protected ProcessPool NewPool(ProcessPoolOptions options) => new(new ProcessPoolOptions
    {
        Backend = Backend,
        Processes = options.Processes,
        Initializer = options.Initializer,
        MaxRetries = options.MaxRetries,
        MaxTasksPerChild = options.MaxTasksPerChild,
        TaskTimeout = options.TaskTimeout,
        MaxMessageBytes = options.MaxMessageBytes,
    });

    [Test]
    public void Apply_ReturnsTheResult() => Shared.Apply(ContractJobs.Remote.Square, 9).ShouldBe(81);

    [Test]
    public void Apply_WithSeveralParameters_TakesATuple() => Shared.Apply(ContractJobs.Remote.Add, (2, 40L)).ShouldBe(42L);

    [Test]
    public void ApplyAsync_RunsTheCallbackBeforeTheResultIsReady()
    {
        int seen = 0;
        AsyncResult<int> result = Shared.ApplyAsync(ContractJobs.Remote.Square, 5, callback: value => seen = value);
        result.Get(Patience).ShouldBe(25);
        seen.ShouldBe(25);
        result.Successful.ShouldBeTrue();
    }

    [Test]
    public void Map_KeepsInputOrder_WhateverTheChunkSize([Values(1, 3, 1000)] int chunkSize)
    {
        int[] items = Enumerable.Range(0, 500).ToArray();
        Shared.Map(ContractJobs.Remote.Square, items, chunkSize).ShouldBe(items.Select(x => x * x).ToArray());
    }

    [Test]
    public async Task MapAsync_AndImapAsync_KeepInputOrder()
    {
        int[] items = Enumerable.Range(0, 200).ToArray();
        (await Shared.MapAsync(ContractJobs.Remote.Square, items)).ShouldBe(items.Select(x => x * x).ToArray());
        var streamed = new List<int>();
        await foreach (int value in Shared.ImapAsync(ContractJobs.Remote.Square, items))
        {
            streamed.Add(value);
        }

        streamed.ShouldBe(items.Select(x => x * x).ToList());
    }

    [Test]
    public void ImapUnordered_DeliversEveryResultOnce()
    {
        int[] items = Enumerable.Range(0, 300).ToArray();
        Shared.ImapUnordered(ContractJobs.Remote.Square, items).Order().ShouldBe(items.Select(x => x * x).ToArray());
    }

    [Test]
    public void ARemoteException_CarriesTypeMessageAndInnerException()
    {
        RemoteException error = Should.Throw<RemoteException>(() => Shared.Apply(ContractJobs.Remote.Fail, "boom"));
        error.RemoteType.ShouldBe(typeof(InvalidOperationException).FullName);
        error.Message.ShouldBe("boom");
        error.InnerException.ShouldBeOfType<RemoteException>().RemoteType.ShouldBe(typeof(FormatException).FullName);
        Shared.Apply(ContractJobs.Remote.Square, 3).ShouldBe(9, "the pool goes on after an error");
    }

    [Test]
    public void AMapWithAFailingItem_FailsWithThatItemsError()
    {
        RemoteException error = Should.Throw<RemoteException>(() => Shared.Map(ContractJobs.Remote.FailAt, Enumerable.Range(0, 50), chunkSize: 4));
        error.Message.ShouldBe("item 7");
    }

    [Test]
    public void CancellingARunningCall_SignalsItsToken()
    {
        using var capture = new ConsoleCapture();
        using var cancellation = new CancellationTokenSource();
        string announce = "contract-running-" + Guid.NewGuid().ToString("N");
        AsyncResult<int> result = Shared.ApplyAsync(ContractJobs.Remote.WaitForCancellation, announce, cancellationToken: cancellation.Token);
        capture.WaitFor(announce, Patience).ShouldBeTrue("the call never started");

        cancellation.Cancel();
        Should.Throw<OperationCanceledException>(() => result.Get(Patience));
        Shared.Apply(ContractJobs.Remote.Square, 2).ShouldBe(4);
    }

    [Test]
    public void CancellingAQueuedCall_RemovesItBeforeItRuns()
    {
        using var capture = new ConsoleCapture();
        using ProcessPool pool = NewPool(new ProcessPoolOptions { Processes = 1 });
        string release = ReleasePath();
        string announce = "contract-gate-" + Guid.NewGuid().ToString("N");
        AsyncResult<int> blocking = pool.ApplyAsync(ContractJobs.Remote.Gate, (announce, release));
        capture.WaitFor(announce, Patience).ShouldBeTrue("the gate never started");

        using var cancellation = new CancellationTokenSource();
        string never = "contract-never-" + Guid.NewGuid().ToString("N");
        AsyncResult<int> queued = pool.ApplyAsync(ContractJobs.Remote.WaitForCancellation, never, cancellationToken: cancellation.Token);
        cancellation.Cancel();
        Should.Throw<OperationCanceledException>(() => queued.Get(Patience));

        File.WriteAllText(release, "go");
        blocking.Get(Patience).ShouldBe(1);
        pool.Apply(ContractJobs.Remote.Square, 3).ShouldBe(9);
        capture.Text.ShouldNotContain(never);
        File.Delete(release);
    }

    [Test]
    public void TaskTimeout_FailsAnOverdueCall_WithTimeoutException_AndThePoolGoesOn()
    {
        // The call after it runs on a replacement worker, whose first call also loads the test assembly and compiles
        // its code: on a loaded 2-core machine that alone has taken over 500 ms, so the limit leaves room for it.
        using ProcessPool pool = NewPool(new ProcessPoolOptions { Processes = 1, TaskTimeout = TimeSpan.FromSeconds(3) });
        AsyncResult<int> overdue = pool.ApplyAsync(ContractJobs.Remote.WaitForCancellation, "contract-overdue");
        Should.Throw<TimeoutException>(() => overdue.Get(Patience));
        pool.Apply(ContractJobs.Remote.Square, 4).ShouldBe(16);
    }

    [Test]
    public void Initializer_RunsBeforeEveryWorkersFirstTask()
    {
        Assume.That(SupportsInitializer, "this backend refuses an Initializer when the pool starts");
        using ProcessPool pool = NewPool(new ProcessPoolOptions
        {
            Processes = 2,
            Initializer = ProcessInitializer.Create(ContractJobs.Remote.Initialize, "ready"),
        });
        Enumerable.Range(0, 20).Select(_ => pool.ApplyAsync(ContractJobs.Remote.Initialized)).ToArray()
            .Select(result => result.Get(Patience)).ShouldAllBe(value => value == "ready");
    }

    [Test]
    public void MaxTasksPerChild_ReplacesAWorkerAfterItsQuota()
    {
        Assume.That(WorkersAreProcesses, "only a backend whose workers are processes shows a new worker as a new process id");
        using ProcessPool pool = NewPool(new ProcessPoolOptions { Processes = 1, MaxTasksPerChild = 2 });
        int[] pids = Enumerable.Range(0, 6).Select(_ => pool.Apply(ContractJobs.Remote.ProcessId)).ToArray();
        pids.Distinct().Count().ShouldBe(3);
    }

    [Test]
    public void MaxRetries_RunsACallAgainAfterItsWorkerWasLost()
    {
        Assume.That(IsolatesCrashes, "a crash in this backend would take the test process down");
        string marker = MarkerPath();
        using ProcessPool pool = NewPool(new ProcessPoolOptions { Processes = 1, MaxRetries = 1 });
        pool.Apply(ContractJobs.Remote.CrashOnce, marker).ShouldBe(7);
        File.Delete(marker);
    }

    [Test]
    public void ALostWorker_FailsOnlyItsTask_WithWorkerCrashedException()
    {
        Assume.That(IsolatesCrashes, "a crash in this backend would take the test process down");
        string marker = MarkerPath();
        using ProcessPool pool = NewPool(new ProcessPoolOptions { Processes = 1 });
        AsyncResult<int> crashing = pool.ApplyAsync(ContractJobs.Remote.CrashOnce, marker);
        AsyncResult<int> behind = pool.ApplyAsync(ContractJobs.Remote.Square, 6);
        WorkerCrashedException crash = Should.Throw<WorkerCrashedException>(() => crashing.Get(Patience));
        crash.ExitCode.ShouldBe(42);
        behind.Get(Patience).ShouldBe(36);
        File.Delete(marker);
    }

    [Test]
    public void MaxMessageBytes_RefusesAnOversizedArgument_AtOnce_AndAnOversizedResult_AsAnError()
    {
        using ProcessPool pool = NewPool(new ProcessPoolOptions { Processes = 1, MaxMessageBytes = 4096 });
        Should.Throw<ArgumentException>(() => pool.ApplyAsync(ContractJobs.Remote.Echo, new string('x', 10_000))).Message.ShouldContain("MaxMessageBytes");
        Should.Throw<RemoteException>(() => pool.Apply(ContractJobs.Remote.Bytes, 10_000)).Message.ShouldContain("MaxMessageBytes");
        pool.Apply(ContractJobs.Remote.Square, 5).ShouldBe(25);
    }

    [Test]
    public void Close_RunsQueuedWork_RefusesNewWork_ThenJoinReturns()
    {
        ProcessPool pool = NewPool(new ProcessPoolOptions { Processes = 2 });
        AsyncResult<int[]> map = pool.MapAsync(ContractJobs.Remote.Square, Enumerable.Range(0, 100), chunkSize: 5);
        pool.Close();
        Should.Throw<InvalidOperationException>(() => pool.ApplyAsync(ContractJobs.Remote.Square, 1)).Message.ShouldContain("closed");
        pool.Join(Patience).ShouldBeTrue();
        map.Ready.ShouldBeTrue();
        map.Get().ShouldBe(Enumerable.Range(0, 100).Select(x => x * x).ToArray());
        pool.Dispose();
    }

    [Test]
    public void Terminate_FailsUnfinishedWork_WithPoolTerminatedException()
    {
        using var capture = new ConsoleCapture();
        ProcessPool pool = NewPool(new ProcessPoolOptions { Processes = 1 });
        string announce = "contract-terminate-" + Guid.NewGuid().ToString("N");
        AsyncResult<int> running = pool.ApplyAsync(ContractJobs.Remote.WaitForCancellation, announce);
        AsyncResult<int> queued = pool.ApplyAsync(ContractJobs.Remote.Square, 1);
        capture.WaitFor(announce, Patience).ShouldBeTrue();

        pool.Terminate();
        Should.Throw<PoolTerminatedException>(() => running.Get(Patience));
        Should.Throw<PoolTerminatedException>(() => queued.Get(Patience));
        pool.Join(Patience).ShouldBeTrue();
        pool.Dispose();
    }

    [Test]
    public void UsingADisposedPool_ThrowsObjectDisposedException()
    {
        ProcessPool pool = NewPool(new ProcessPoolOptions { Processes = 1 });
        pool.Dispose();
        Should.Throw<ObjectDisposedException>(() => pool.Apply(ContractJobs.Remote.Square, 1));
    }

    private static string ReleasePath() => Path.Combine(Path.GetTempPath(), "parallelgen-contract-release-" + Guid.NewGuid().ToString("N"));

    private static string MarkerPath() => Path.Combine(Path.GetTempPath(), "parallelgen-contract-marker-" + Guid.NewGuid().ToString("N"));
}

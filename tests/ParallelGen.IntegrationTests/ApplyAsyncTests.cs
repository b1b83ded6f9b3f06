using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using ParallelGen.IntegrationTests.Infrastructure;
using ParallelGen.IntegrationTests.Jobs;
using Shouldly;

namespace ParallelGen.IntegrationTests;

/// <summary><c>pool.ApplyAsync</c>, callbacks, <see cref="AsyncResult{T}"/> members and <c>await</c>.</summary>
public class ApplyAsyncTests : PoolFixture
{
    [Test]
    public void ApplyAsync_Get_ReturnsTheValue_ThenReadyAndSuccessful()
    {
        AsyncResult<int> result = Pool.ApplyAsync(Shapes.Remote.Square, 12);
        result.Get(Patience).ShouldBe(144);
        result.Ready.ShouldBeTrue();
        result.Successful.ShouldBeTrue();
        result.Get().ShouldBe(144);
    }

    [Test]
    public void ApplyAsync_Callback_RunsWithTheValueBeforeTheResultIsReady()
    {
        int seen = 0;
        AsyncResult<int> result = Pool.ApplyAsync(
            Shapes.Remote.Square,
            9,
            callback: value => Volatile.Write(ref seen, value),
            errorCallback: error => Assert.Fail("unexpected error callback: " + error));
        result.Get(Patience).ShouldBe(81);
        Volatile.Read(ref seen).ShouldBe(81);
    }

    [Test]
    public void ApplyAsync_ErrorCallback_ReceivesTheRemoteException_AndTheCallbackDoesNotRun()
    {
        Exception? seen = null;
        bool callbackRan = false;
        AsyncResult<string> result = Pool.ApplyAsync(
            Failing.Remote.FailAsync,
            "bad input",
            callback: _ => callbackRan = true,
            errorCallback: error => Volatile.Write(ref seen, error));
        result.Wait(Patience).ShouldBeTrue();
        result.Successful.ShouldBeFalse();
        Should.Throw<RemoteException>(() => result.Get());
        RemoteException remote = Volatile.Read(ref seen).ShouldBeOfType<RemoteException>();
        remote.RemoteType.ShouldBe("System.FormatException");
        remote.Message.ShouldBe("bad input");
        callbackRan.ShouldBeFalse();
    }

    [Test]
    public void ApplyAsync_VoidMethod_CallbackRuns()
    {
        string path = Path.Combine(Path.GetTempPath(), "parallelgen-it-" + Guid.NewGuid().ToString("N"));
        int calls = 0;
        try
        {
            AsyncResult result = Pool.ApplyAsync(Shapes.Remote.Touch, path, callback: () => Interlocked.Increment(ref calls));
            result.Get(Patience);
            Volatile.Read(ref calls).ShouldBe(1);
            File.Exists(path).ShouldBeTrue();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void ApplyAsync_ParameterlessMethod_Callback() =>
        Pool.ApplyAsync(Shapes.Remote.Seed, callback: value => value.ShouldBe(42)).Get(Patience).ShouldBe(42);

    [Test]
    public async Task ApplyAsync_Await_ReturnsTheAwaitedValueOfATaskMethod() =>
        (await Pool.ApplyAsync(Shapes.Remote.FetchAsync, "awaited")).ShouldBe("value:awaited");

    [Test]
    public async Task ApplyAsync_AwaitVoidTaskMethod_Completes()
    {
        string path = Path.Combine(Path.GetTempPath(), "parallelgen-it-" + Guid.NewGuid().ToString("N"));
        try
        {
            await Pool.ApplyAsync(Shapes.Remote.TouchAsync, path);
            (await File.ReadAllTextAsync(path)).ShouldBe("async");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task ApplyAsync_ManyInFlight_AsTask_AllComplete()
    {
        Task<int>[] tasks = Enumerable.Range(0, 200).Select(i => Pool.ApplyAsync(Shapes.Remote.Square, i).AsTask()).ToArray();
        int[] values = await Task.WhenAll(tasks).WaitAsync(Patience);
        values.ShouldBe(Enumerable.Range(0, 200).Select(i => i * i).ToArray());
    }

    [Test]
    public void AsyncResult_WhileRunning_IsNotReady_SuccessfulThrows_GetWithTimeoutThrowsTimeout()
    {
        using var capture = new ConsoleCapture();
        using var cancellation = new CancellationTokenSource();
        string announce = "blocking-" + Guid.NewGuid().ToString("N");
        AsyncResult<int> result = Pool.ApplyAsync(Shapes.Remote.BlockUntilCancelled, announce, cancellationToken: cancellation.Token);
        try
        {
            capture.WaitFor(announce, Patience).ShouldBeTrue("the call never started");

            // The method cannot finish before it is cancelled, so these hold however slow the machine is.
            result.Ready.ShouldBeFalse();
            Should.Throw<InvalidOperationException>(() => result.Successful);
            result.Wait(TimeSpan.FromMilliseconds(20)).ShouldBeFalse();
            Should.Throw<TimeoutException>(() => result.Get(TimeSpan.FromMilliseconds(20)));
            result.Ready.ShouldBeFalse("Get(timeout) must not stop the call");
        }
        finally
        {
            cancellation.Cancel();
            result.Wait(Patience);
        }
    }
}

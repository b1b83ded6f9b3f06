using System;
using System.IO;
using System.Threading;
using NUnit.Framework;
using ParallelGen.IntegrationTests.Infrastructure;
using ParallelGen.IntegrationTests.Jobs;
using Shouldly;

namespace ParallelGen.IntegrationTests;

/// <summary><c>pool.Apply</c> over every method shape, through the generated handles.</summary>
public class ApplyTests : PoolFixture
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("parallelgen-it-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Apply_NoParameters_ReturnsTheValue() =>
        Pool.Apply(Shapes.Remote.Seed).ShouldBe(42);

    [Test]
    public void Apply_OneParameter_ReturnsTheValue() =>
        Pool.Apply(Shapes.Remote.Square, 7).ShouldBe(49);

    [Test]
    public void Apply_TwoParameters_TakesOneTuple() =>
        Pool.Apply(Shapes.Remote.Dot, ([1.0, 2.0, 3.0], [4.0, 5.0, 6.0])).ShouldBe(32.0);

    [Test]
    public void Apply_ThreeParameters_TakesOneTuple() =>
        Pool.Apply(Shapes.Remote.Describe, ("apple", 3, true)).ShouldBe("3 X APPLE");

    [Test]
    public void Apply_RunsInAWorkerProcess_NotTheTestProcess()
    {
        int pid = Pool.Apply(Shapes.Remote.ProcessId);
        pid.ShouldBeGreaterThan(0);
        pid.ShouldNotBe(Environment.ProcessId);
    }

    [Test]
    public void Apply_TwoWorkers_RunTwoCallsAtOnceInTwoOtherProcesses()
    {
        using var capture = new ConsoleCapture();
        using var cancellation = new CancellationTokenSource();
        string tag = "rendezvous-" + Guid.NewGuid().ToString("N");
        AsyncResult first = Pool.ApplyAsync(Shapes.Remote.Rendezvous, tag + "-a", cancellationToken: cancellation.Token);
        AsyncResult second = Pool.ApplyAsync(Shapes.Remote.Rendezvous, tag + "-b", cancellationToken: cancellation.Token);
        try
        {
            capture.WaitFor(tag + "-a pid=", Patience).ShouldBeTrue("the first call never announced itself");
            capture.WaitFor(tag + "-b pid=", Patience).ShouldBeTrue("the second call never started while the first was running");
            int pidA = PidAfter(capture.Text, tag + "-a pid=");
            int pidB = PidAfter(capture.Text, tag + "-b pid=");
            pidA.ShouldNotBe(pidB);
            pidA.ShouldNotBe(Environment.ProcessId);
            pidB.ShouldNotBe(Environment.ProcessId);
        }
        finally
        {
            cancellation.Cancel();
            first.Wait(Patience);
            second.Wait(Patience);
        }
    }

    [Test]
    public void Apply_VoidMethod_RunsForItsSideEffect()
    {
        string path = Path.Combine(_directory, "touched.txt");
        Pool.Apply(Shapes.Remote.Touch, path);
        int writer = int.Parse(File.ReadAllText(path), System.Globalization.CultureInfo.InvariantCulture);
        writer.ShouldNotBe(Environment.ProcessId);
    }

    [Test]
    public void Apply_VoidParameterlessMethod_ItsConsoleOutputReachesTheParentBeforeApplyReturns()
    {
        using var capture = new ConsoleCapture();
        Pool.Apply(Shapes.Remote.Ping);
        capture.Text.ShouldContain("ping from ");
        capture.Text.ShouldNotContain($"ping from {Environment.ProcessId}");
    }

    [Test]
    public void Apply_TaskMethod_IsAwaitedInTheWorker()
    {
        string path = Path.Combine(_directory, "async.txt");
        Pool.Apply(Shapes.Remote.TouchAsync, path);
        File.ReadAllText(path).ShouldBe("async");
    }

    [Test]
    public void Apply_TaskOfTMethod_ReturnsTheAwaitedValue() =>
        Pool.Apply(Shapes.Remote.FetchAsync, "k").ShouldBe("value:k");

    [Test]
    public void Apply_ValueTaskOfTMethodWithTwoParameters_ReturnsTheAwaitedValue() =>
        Pool.Apply(Shapes.Remote.AddAsync, (2, 3)).ShouldBe(5);

    [Test]
    public void Apply_ValueTaskOfTCompletedSynchronously_ReturnsTheValue() =>
        Pool.Apply(Shapes.Remote.NegateNow, 4).ShouldBe(-4);

    [Test]
    public void Apply_ParameterlessValueTaskMethod_Completes() =>
        Should.NotThrow(() => Pool.Apply(Shapes.Remote.YieldOnce));

    [Test]
    public void Apply_MethodWhoseOnlyParameterIsACancellationToken_GetsTheCallersToken()
    {
        using var cancellation = new CancellationTokenSource();
        Pool.Apply(Shapes.Remote.TokenCanBeCancelled, cancellation.Token).ShouldBeTrue();
    }

    [Test]
    public void Apply_MethodOfDeeplyNestedPartialType_UsesTheInnermostRemoteClass() =>
        Pool.Apply(Outer.Middle.Inner.Remote.Where, "x").ShouldStartWith("x:Outer.Middle.Inner:");

    [Test]
    public void Apply_MethodOfOuterType_HasItsOwnRemoteClass() =>
        Pool.Apply(Outer.Remote.Twice, 21).ShouldBe(42);

    [Test]
    public void Apply_MethodOfPartialRecordStruct_Works() =>
        Pool.Apply(Calculator.Remote.Factorial, 10).ShouldBe(3_628_800L);

    [Test]
    public void Apply_InternalMethodOfTypeInTheGlobalNamespace_Works() =>
        Pool.Apply(GlobalJobs.Remote.Hello, "you").ShouldBe("hello you");

    [Test]
    public void Handle_DescribesTheMethod()
    {
        Shapes.Remote.Dot.Name.ShouldBe("Dot");
        Shapes.Remote.Dot.Signature.ShouldContain("ParallelGen.IntegrationTests.Jobs.Shapes.Dot");
    }

    private static int PidAfter(string text, string marker)
    {
        int start = text.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        int end = start;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        return int.Parse(text.AsSpan(start, end - start), System.Globalization.CultureInfo.InvariantCulture);
    }
}

using System;
using System.Diagnostics;
using NUnit.Framework;
using Shouldly;

namespace ParallelGen.Protocol.Tests;

/// <summary><see cref="ProcessPoolOptions.MaxMessageBytes"/> in both directions, through a real pool.</summary>
public class MessageLimitTests
{
    private const int Limit = 64 * 1024;

    [Test]
    public void ArgumentOverTheLimit_ThrowsArgumentExceptionAtSubmission_AndNothingIsSent()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxMessageBytes = Limit });
        int worker = pool.Apply(ProtocolJobs.Remote.ProcessId);

        ArgumentException error = Should.Throw<ArgumentException>(() => pool.ApplyAsync(ProtocolJobs.Remote.Length, new byte[Limit + 1]));

        error.Message.ShouldContain("MaxMessageBytes");
        error.Message.ShouldContain(Limit.ToString());
        pool.Apply(ProtocolJobs.Remote.Length, new byte[Limit - 100]).ShouldBe(Limit - 100);
        pool.Apply(ProtocolJobs.Remote.ProcessId).ShouldBe(worker);
    }

    [Test]
    public void ResultOverTheLimit_FailsTheCall_AndThePoolRecovers()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxMessageBytes = Limit });
        int worker = pool.Apply(ProtocolJobs.Remote.ProcessId);
        var clock = Stopwatch.StartNew();

        Exception error = Should.Throw<Exception>(() => pool.ApplyAsync(ProtocolJobs.Remote.MakeBytes, Limit * 2).Get(TimeSpan.FromSeconds(30)));

        TestContext.Out.WriteLine($"after {clock.ElapsedMilliseconds} ms: {error.GetType().FullName}: {error.Message}");
        error.ShouldNotBeOfType<TimeoutException>();
        pool.Apply(ProtocolJobs.Remote.Square, 4).ShouldBe(16);
        pool.Apply(ProtocolJobs.Remote.MakeBytes, Limit / 2).Length.ShouldBe(Limit / 2);
        TestContext.Out.WriteLine($"worker before: {worker}, after: {pool.Apply(ProtocolJobs.Remote.ProcessId)}");
    }

    /// <summary>
    /// The caller should learn that the result was too large, not merely that a worker died: the limit is a setting
    /// they can change, and the method did nothing wrong.
    /// </summary>
    [Test]
    public void ResultOverTheLimit_FailsWithAnErrorThatNamesTheLimit()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxMessageBytes = Limit });

        Exception error = Should.Throw<Exception>(() => pool.ApplyAsync(ProtocolJobs.Remote.MakeBytes, Limit * 2).Get(TimeSpan.FromSeconds(30)));

        error.ToString().ShouldContain("MaxMessageBytes", customMessage: $"got {error.GetType().FullName}: {error.Message}");
    }

    [Test]
    public void ResultOverTheLimit_IsNotRetried_AsIfTheWorkerHadCrashed()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxMessageBytes = Limit, MaxRetries = 2 });
        int worker = pool.Apply(ProtocolJobs.Remote.ProcessId);

        Should.Throw<Exception>(() => pool.ApplyAsync(ProtocolJobs.Remote.MakeBytes, Limit * 2).Get(TimeSpan.FromSeconds(30)))
            .ShouldNotBeOfType<WorkerCrashedException>("a result that is too large will be too large every time");
        pool.Apply(ProtocolJobs.Remote.ProcessId).ShouldBe(worker, "an oversized result is the call's failure, not the worker's");
    }
}

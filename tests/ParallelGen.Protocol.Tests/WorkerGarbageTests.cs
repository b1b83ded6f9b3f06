using System;
using NUnit.Framework;
using ParallelGen.Protocol.Tests.Infrastructure;
using ParallelGen.Transport;
using Shouldly;

namespace ParallelGen.Protocol.Tests;

/// <summary>
/// A worker gone bad writes bytes that are not a valid answer onto its connection (here: a method that writes raw
/// bytes to the socket). The parent's decoder must reject them, kill and replace that worker, report a crash for
/// the call it was running, and never fall over itself.
/// </summary>
public class WorkerGarbageTests
{
    [TestCase("negative length")]
    [TestCase("oversized length")]
    [TestCase("unexpected kind")]
    [TestCase("answer for a call never made")]
    [TestCase("noise")]
    public void GarbageFromAWorker_KillsAndReplacesIt_AndTheCallFailsWithACrashReport(string what)
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxMessageBytes = 64 * 1024 });
        int worker = pool.Apply(ProtocolJobs.Remote.ProcessId);
        byte[] bytes = what switch
        {
            "negative length" => Frames.Header(-100, FrameKind.Result),
            "oversized length" => Frames.Header(FrameHeader.MaxLengthFor(64 * 1024) + 1, FrameKind.Result),
            "unexpected kind" => Frames.Build(FrameKind.Hello, 1, new byte[36]),
            "answer for a call never made" => Frames.Build(FrameKind.Result, long.MaxValue - 3, [1, 2, 3, 4]),
            _ => Frames.RandomBytes(new Random(17), 500),
        };

        WorkerCrashedException crash = Should.Throw<WorkerCrashedException>(() => pool.ApplyAsync(ProtocolJobs.Remote.SendRaw, bytes).Get(TimeSpan.FromSeconds(30)));

        TestContext.Out.WriteLine(crash.Message);
        crash.ProcessId.ShouldBe(worker);
        crash.Message.ShouldContain(nameof(ProtocolJobs.SendRaw));
        ProcessGone(worker).ShouldBeTrue();
        pool.Apply(ProtocolJobs.Remote.Square, 6).ShouldBe(36);
        pool.Apply(ProtocolJobs.Remote.ProcessId).ShouldNotBe(worker);
    }

    /// <summary>
    /// RemoteError is recursive (Inner), and the parent decodes Error frames with MemoryPack on its reader thread. A
    /// chain the worker's own RemoteError.From would never write (it stops at 32) must still not overflow the
    /// decoding thread's stack. The decoding runs in a worker here so that an overflow kills a worker, not the test host.
    /// </summary>
    [TestCase(32)]
    [TestCase(1_000)]
    [TestCase(100_000)]
    public void DeeplyNestedErrorPayload_IsDecodedOrRejected_WithoutOverflowingTheStack(int depth)
    {
        using var pool = new ProcessPool(1);
        int payloadBytes = ProtocolJobs.NestedErrorPayload(depth).Length;

        Exception? failure = null;
        try
        {
            pool.ApplyAsync(ProtocolJobs.Remote.DecodeNestedErrors, depth).Get(TimeSpan.FromSeconds(30)).ShouldBe(depth);
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        TestContext.Out.WriteLine($"depth {depth} ({payloadBytes} bytes): {failure?.GetType().Name ?? "decoded"}: {failure?.Message}");
        failure.ShouldNotBeOfType<WorkerCrashedException>(
            $"decoding a {payloadBytes}-byte Error payload nested {depth} deep crashed the process; in the parent that process is the caller's");
    }

    private static bool ProcessGone(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}

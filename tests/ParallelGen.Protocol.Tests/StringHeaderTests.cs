using System;
using NUnit.Framework;
using ParallelGen.Protocol.Tests.Infrastructure;
using ParallelGen.Transport;
using Shouldly;

namespace ParallelGen.Protocol.Tests;

/// <summary>
/// MemoryPack 1.21.4's string reader trusts the length header: nine bytes (<c>00 00 00 80 00 00 00 00 41</c>) make
/// it read about 2 GiB past its buffer, an access violation no catch can stop. Those bytes, and every other lying
/// string header, are sent here where the runtime decodes bytes from another process: arguments in a worker, and
/// Result, Error and channel frames in the parent. Each must be refused with an exception; no process may die.
/// </summary>
public class StringHeaderTests
{
    private static readonly TimeSpan s_answerTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The hazard itself, kept visible: MemoryPack's own reader, called directly (as the code MemoryPack generates for
    /// a string member of a [MemoryPackable] type calls it), still kills the process that decodes the bytes. Run in a
    /// worker, so the process that dies is not the test's. If this ever passes, MemoryPack has fixed its reader.
    /// </summary>
    [TestCase(0x80000000u)]
    [TestCase(0x80000003u)]
    public void TheNineBytes_StillKillAProcessThatDecodesThemWithMemoryPacksOwnReader(uint header)
    {
        using var pool = new ProcessPool(1);
        int worker = pool.Apply(ProtocolJobs.Remote.ProcessId);
        byte[] bytes = [.. StringPayloads.Int32(unchecked((int)header)), 0, 0, 0, 0, 0x41];

        WorkerCrashedException crash = Should.Throw<WorkerCrashedException>(
            () => pool.ApplyAsync(ProtocolJobs.Remote.ReadWithMemoryPacksStringReader, bytes).Get(s_answerTimeout));

        TestContext.Out.WriteLine($"{Convert.ToHexString(bytes)}: {crash.Message}");
        crash.ProcessId.ShouldBe(worker);
        pool.Apply(ProtocolJobs.Remote.Square, 4).ShouldBe(16);
    }

    /// <summary>Parent → worker: a string argument, alone and inside a string[], with a lying header.</summary>
    [TestCaseSource(typeof(StringPayloads), nameof(StringPayloads.MalformedNames))]
    public void MalformedStringArgument_IsAnsweredWithAnError_AndTheWorkerServesTheNextCall(string name)
    {
        byte[] malformed = StringPayloads.Named(name);
        using RawWorker worker = RawWorker.Start();
        worker.LoadTestAssembly();
        ulong stringLength = ProtocolJobs.Remote.StringLength.Call.Info.Id;
        ulong totalLength = ProtocolJobs.Remote.TotalLength.Call.Info.Id;

        worker.Send(Frames.Build(FrameKind.Invoke, 1, Frames.InvokePayload(stringLength, 1, malformed)));
        worker.Send(Frames.Build(FrameKind.Invoke, 2, Frames.InvokePayload(totalLength, 1, [.. StringPayloads.Int32(2), .. StringPayloads.Valid("ok"), .. malformed])));
        worker.Send(Frames.Build(FrameKind.Invoke, 3, Frames.InvokePayload(stringLength, 1, StringPayloads.Valid("three"))));

        foreach (long call in new long[] { 1, 2 })
        {
            RemoteError error = LiveWorkerTests.ReadError(worker, call);
            TestContext.Out.WriteLine($"{name}, call {call}: {error.Type}: {error.Message}");
            error.Type.ShouldBe("MemoryPack.MemoryPackSerializationException");
        }

        LiveWorkerTests.ReadResult(worker, 3).ShouldBe(StringPayloads.Int32(5));
        worker.Process.HasExited.ShouldBeFalse(worker.StandardError);
    }

    /// <summary>
    /// Worker → parent, Result: a worker answers its call with a string result whose header lies. The caller gets
    /// the decoding error; this process lives on, and so does the pool.
    /// </summary>
    [TestCaseSource(typeof(StringPayloads), nameof(StringPayloads.MalformedNames))]
    public void MalformedStringInAResult_FailsTheCall_AndTheParentGoesOn(string name)
    {
        // The worker exits right after its raw answer; a call sent to it meanwhile is retried on its replacement.
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxRetries = 1 });
        pool.Apply(ProtocolJobs.Remote.Square, 2).ShouldBe(4);
        long callId = StringPayloads.NextCallId();

        Exception failure = Should.Throw<Exception>(() => pool
            .ApplyAsync(ProtocolJobs.Unregistered.AnswerRawAsString, (callId, (byte)FrameKind.Result, StringPayloads.Named(name)))
            .Get(s_answerTimeout));

        TestContext.Out.WriteLine($"{name}: {failure.GetType().FullName}: {failure.Message}");
        failure.ShouldBeOfType<MemoryPack.MemoryPackSerializationException>();
        pool.Apply(ProtocolJobs.Remote.Square, 6).ShouldBe(36);
    }

    /// <summary>
    /// Worker → parent, Error: the exception texts of an Error frame are decoded by the parent on the worker's reader
    /// thread; a lying header there is garbage from the worker, which is killed and replaced.
    /// </summary>
    [TestCaseSource(typeof(StringPayloads), nameof(StringPayloads.MalformedNames))]
    public void MalformedStringInAnError_FailsTheCall_AndTheWorkerIsReplaced(string name)
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxRetries = 1 });
        int worker = pool.Apply(ProtocolJobs.Remote.ProcessId);
        long callId = StringPayloads.NextCallId();

        Exception failure = Should.Throw<Exception>(() => pool
            .ApplyAsync(ProtocolJobs.Remote.AnswerRaw, (callId, (byte)FrameKind.Error, StringPayloads.ErrorWithTypeText(StringPayloads.Named(name))))
            .Get(s_answerTimeout));

        TestContext.Out.WriteLine($"{name}: {failure.GetType().FullName}: {failure.Message}");
        failure.ShouldBeOfType<WorkerCrashedException>("the call must end (not hang) with a crash report for the worker that sent garbage");
        pool.Apply(ProtocolJobs.Remote.Square, 6).ShouldBe(36);
        pool.Apply(ProtocolJobs.Remote.ProcessId).ShouldNotBe(worker);
    }

    /// <summary>
    /// Worker → parent, Error, found by <see cref="FuzzLengthHeaderTests"/>: a negative exception count makes
    /// MemoryPack's array reader throw <see cref="OverflowException"/> (it allocates <c>new T[count]</c>), which is no
    /// serialization exception; escaping the parent's reader thread it would end the process.
    /// </summary>
    [TestCase(-2)]
    [TestCase(int.MinValue)]
    public void ErrorReportWithANegativeExceptionCount_FailsTheCall_AndTheWorkerIsReplaced(int count)
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxRetries = 1 });
        int worker = pool.Apply(ProtocolJobs.Remote.ProcessId);
        long callId = StringPayloads.NextCallId();
        byte[] payload = [1, .. StringPayloads.Int32(count), 3, 0, 0, 0, 0];

        Exception failure = Should.Throw<Exception>(() => pool
            .ApplyAsync(ProtocolJobs.Remote.AnswerRaw, (callId, (byte)FrameKind.Error, payload))
            .Get(s_answerTimeout));

        TestContext.Out.WriteLine($"{count}: {failure.GetType().FullName}: {failure.Message}");
        failure.ShouldBeOfType<WorkerCrashedException>();
        pool.Apply(ProtocolJobs.Remote.ProcessId).ShouldNotBe(worker);
    }

    /// <summary>
    /// Worker → parent, ChannelItem: an item for the caller's ProcessQueue&lt;string&gt; with a lying header is dropped;
    /// the items after it still arrive, in order.
    /// </summary>
    [TestCaseSource(typeof(StringPayloads), nameof(StringPayloads.MalformedNames))]
    public void MalformedStringInAChannelItem_IsDropped_AndLaterItemsArrive(string name)
    {
        using var pool = new ProcessPool(1);
        var queue = new ProcessQueue<string>();

        pool.Apply(ProtocolJobs.Remote.PutRaw, (queue, StringPayloads.Named(name))).ShouldBe(StringPayloads.Named(name).Length);

        queue.Get(s_answerTimeout).ShouldBe("after");
        queue.Count.ShouldBe(0);
        pool.Apply(ProtocolJobs.Remote.Square, 7).ShouldBe(49);
    }
}

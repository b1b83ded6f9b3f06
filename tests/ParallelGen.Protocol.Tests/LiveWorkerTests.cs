using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using MemoryPack;
using NUnit.Framework;
using ParallelGen.Protocol.Tests.Infrastructure;
using ParallelGen.Transport;
using Shouldly;

namespace ParallelGen.Protocol.Tests;

/// <summary>
/// Real worker processes, started the way the pool starts them, with this test as the parent: garbage in must make
/// the worker exit (never hang), and nothing but valid frames may come out.
/// </summary>
public class LiveWorkerTests
{
    private static readonly TimeSpan s_exitTimeout = TimeSpan.FromSeconds(15);
    private static readonly FrameKind[] s_workerKinds = [FrameKind.Result, FrameKind.Error, FrameKind.Output, FrameKind.Withdrawn, FrameKind.ChannelItem];

    [Test]
    public void Hello_CarriesTheLaunchTokenAndTheWorkersProcessId()
    {
        using RawWorker worker = RawWorker.Start();

        worker.HelloProcessId.ShouldBe(worker.Process.Id);
    }

    [TestCase("negative length")]
    [TestCase("oversized length")]
    [TestCase("length below minimum")]
    [TestCase("truncated header")]
    [TestCase("truncated payload")]
    [TestCase("random noise")]
    public void GarbageFromTheParent_MakesTheWorkerExitCleanly(string garbage)
    {
        using RawWorker worker = RawWorker.Start(maxMessageBytes: 64 * 1024);
        Task<List<Frame>> output = ReadAllAsync(worker);
        byte[] bytes = garbage switch
        {
            "negative length" => Frames.Header(-5, FrameKind.Invoke),
            "oversized length" => Frames.Header(FrameHeader.MaxLengthFor(64 * 1024) + 1, FrameKind.Invoke),
            "length below minimum" => Frames.Header(3, FrameKind.Invoke),
            "truncated header" => Frames.Header(100, FrameKind.Invoke)[..6],
            "truncated payload" => Frames.Build(FrameKind.Invoke, 1, new byte[100])[..50],
            _ => Frames.RandomBytes(new Random(3), 5000),
        };

        worker.Send(bytes);
        worker.Connection.Shutdown(SocketShutdown.Send);

        worker.WaitForExit(s_exitTimeout).ShouldBeTrue("the worker must exit, not hang");
        worker.Process.ExitCode.ShouldBe(0, worker.StandardError);
        output.Result.ShouldBeEmpty();
    }

    [Test]
    public void InvokeOfAnUnknownId_IsAnsweredWithAnError_AndTheWorkerCarriesOn()
    {
        using RawWorker worker = RawWorker.Start();
        worker.LoadTestAssembly();
        worker.Send(Frames.Build(FrameKind.Invoke, 1, Frames.InvokePayload(0xDEADBEEF, 1, [1, 0, 0, 0])));
        worker.Send(Frames.Build(FrameKind.Invoke, 2, Frames.InvokePayload(ProtocolJobs.Remote.Square.Call.Info.Id, 1, [3, 0, 0, 0])));

        RemoteError error = ReadError(worker, 1);
        error.Type.ShouldBe(typeof(InvalidOperationException).FullName);
        error.Message.ShouldContain("0x00000000DEADBEEF");
        error.Message.ShouldContain("different builds");
        ReadResult(worker, 2).ShouldBe(new byte[] { 9, 0, 0, 0 });
    }

    [TestCase(0)]
    [TestCase(11)]
    public void InvokeShorterThanItsFixedFields_IsAnsweredWithAnError(int payloadLength)
    {
        using RawWorker worker = RawWorker.Start();
        worker.Send(Frames.Build(FrameKind.Invoke, 5, new byte[payloadLength]));

        RemoteError error = ReadError(worker, 5);
        error.Type.ShouldBe(typeof(ProtocolException).FullName);
        error.Message.ShouldContain("at least 12 payload bytes");
    }

    [TestCase(-1)]
    [TestCase(int.MinValue)]
    public void InvokeWithANegativeArgumentCount_IsAnsweredWithAnError(int count)
    {
        using RawWorker worker = RawWorker.Start();
        worker.LoadTestAssembly();
        worker.Send(Frames.Build(FrameKind.Invoke, 5, Frames.InvokePayload(ProtocolJobs.Remote.Square.Call.Info.Id, count, [3, 0, 0, 0])));

        ReadError(worker, 5).Message.ShouldNotBeNullOrEmpty();
        worker.Send(Frames.Build(FrameKind.Invoke, 6, Frames.InvokePayload(ProtocolJobs.Remote.Square.Call.Info.Id, 1, [3, 0, 0, 0])));
        ReadResult(worker, 6).ShouldBe(new byte[] { 9, 0, 0, 0 });
    }

    /// <summary>
    /// The argument-set count is a length prefix too: a count the payload cannot possibly hold must be refused
    /// before anything is allocated or run for it.
    /// </summary>
    [Test]
    public void InvokeWithAnAbsurdArgumentCount_ForAMethodWithArguments_IsRefusedWithoutAllocatingForIt()
    {
        using RawWorker worker = RawWorker.Start();
        worker.LoadTestAssembly();
        ulong allocatedBytes = ProtocolJobs.Remote.AllocatedBytes.Call.Info.Id;
        worker.Send(Frames.Build(FrameKind.Invoke, 1, Frames.InvokePayload(allocatedBytes, 1, [])));
        worker.Send(Frames.Build(FrameKind.Invoke, 2, Frames.InvokePayload(ProtocolJobs.Remote.Square.Call.Info.Id, 400_000_000, [3, 0, 0, 0])));
        worker.Send(Frames.Build(FrameKind.Invoke, 3, Frames.InvokePayload(allocatedBytes, 1, [])));

        long before = BitConverter.ToInt64(ReadResult(worker, 1));
        RemoteError error = ReadError(worker, 2);
        long grownMiB = (BitConverter.ToInt64(ReadResult(worker, 3)) - before) / (1024 * 1024);

        TestContext.Out.WriteLine($"{error.Type}: {error.Message}; the worker allocated {grownMiB} MiB for it");
        grownMiB.ShouldBeLessThan(16, $"4 bytes of arguments claiming 400 million int arguments made the worker allocate {grownMiB} MiB ({error.Type}: {error.Message})");
    }

    /// <summary>A parameterless method has no argument bytes to bound the count: the count alone decides how often it runs.</summary>
    [Test]
    public void InvokeWithAnAbsurdArgumentCount_ForAParameterlessMethod_IsRefusedPromptly()
    {
        using RawWorker worker = RawWorker.Start();
        worker.LoadTestAssembly();
        // Just under .NET's largest array length, so "new Unit[count]" succeeds.
        worker.Send(Frames.Build(FrameKind.Invoke, 5, Frames.InvokePayload(ProtocolJobs.Remote.ProcessId.Call.Info.Id, 2_000_000_000, [])));

        // The reader's receive timeout (10 s) bounds the wait: a worker busy running the method two billion times times out.
        Should.NotThrow(() => ReadError(worker, 5), "an Invoke claiming two billion calls of a parameterless method, with no argument bytes, must be refused, not run");
    }

    [TestCase("")]
    [TestCase("not an assembly name, ,,, =")]
    [TestCase("\uFFFD\uFFFD")]
    [TestCase("No.Such.Assembly, Version=1.0.0.0")]
    public void LoadAssemblyWithABadName_DoesNotCrashTheWorker(string name)
    {
        using RawWorker worker = RawWorker.Start();
        Task<List<Frame>> output = ReadAllAsync(worker);
        worker.Send(Frames.Build(FrameKind.LoadAssembly, 0, Encoding.UTF8.GetBytes(name)));
        worker.Connection.Shutdown(SocketShutdown.Send);

        worker.WaitForExit(s_exitTimeout).ShouldBeTrue();
        worker.Process.ExitCode.ShouldBe(0, $"the worker crashed on LoadAssembly \"{name}\":\n{worker.StandardError}");
        output.Result.ShouldBeEmpty();
    }

    /// <summary>
    /// Thousands of frames per worker: well-framed ones of every kind with random ids and payloads, Invokes of real
    /// and unknown method ids with random or truncated arguments, and a garbage tail. The worker must answer only
    /// with valid frames and exit (code 0) when the garbage or the end of the stream comes.
    /// </summary>
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    public void FuzzedFrames_IntoALiveWorker_GetValidFramesBack_AndTheWorkerExits(int seed)
    {
        const int FramesPerWorker = 2500;
        var random = new Random(seed);
        var mutator = new Mutator(random, FrameHeader.MaxLengthFor(1024 * 1024));
        ulong[] realIds = [ProtocolJobs.Remote.Square.Call.Info.Id, ProtocolJobs.Remote.Length.Call.Info.Id, ProtocolJobs.Remote.ProcessId.Call.Info.Id];
        using RawWorker worker = RawWorker.Start();
        var sentinelAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<List<Frame>> output = ReadAllAsync(worker, frame =>
        {
            if (frame.Id == 99_999_999)
            {
                sentinelAnswered.TrySetResult();
            }
        });
        worker.LoadTestAssembly();

        var invokes = new HashSet<long>();
        var stream = new MemoryStream();
        for (int i = 0; i < FramesPerWorker; i++)
        {
            byte[] frame;
            switch (random.Next(5))
            {
                case 0:
                case 1:
                {
                    // An Invoke of a real method with a small count (see the absurd-count tests for large ones) and
                    // random, truncated or valid arguments.
                    ulong method = realIds[random.Next(realIds.Length)];
                    byte[] arguments = random.Next(3) switch
                    {
                        0 => [3, 0, 0, 0],
                        1 => [4, 0, 0, 0, 1, 2, 3, 4],
                        _ => Frames.RandomBytes(random, random.Next(40)),
                    };
                    long id = 1_000_000 + i;
                    invokes.Add(id);
                    frame = Frames.Build(FrameKind.Invoke, id, Frames.InvokePayload(method, random.Next(-3, 20), arguments));
                    break;
                }

                case 2:
                {
                    long id = 1_000_000 + i;
                    invokes.Add(id);
                    frame = Frames.Build(FrameKind.Invoke, id, Frames.RandomBytes(random, random.Next(60)));
                    break;
                }

                default:
                {
                    frame = mutator.ValidFrame(200);
                    var kind = (FrameKind)frame[4];
                    if (kind == FrameKind.Shutdown)
                    {
                        frame[4] = (byte)FrameKind.Cancel; // Shutdown is a legitimate order to exit, not garbage
                    }
                    else if (kind == FrameKind.LoadAssembly)
                    {
                        frame[4] = (byte)FrameKind.Withdraw; // covered by LoadAssemblyWithABadName
                    }
                    else if (kind is FrameKind.Invoke or FrameKind.InvokeTraced)
                    {
                        invokes.Add(BitConverter.ToInt64(frame, 5));
                    }

                    break;
                }
            }

            stream.Write(frame);
        }

        // The worker exits as soon as its reader meets garbage or the end of the stream, dropping queued calls (the
        // parent is gone, or mad). So the garbage tail goes only after a last good call has been answered: calls
        // run in order, so by then every fuzzed Invoke has been answered too.
        long sentinel = 99_999_999;
        invokes.Add(sentinel);
        stream.Write(Frames.Build(FrameKind.Invoke, sentinel, Frames.InvokePayload(ProtocolJobs.Remote.Square.Call.Info.Id, 1, [5, 0, 0, 0])));
        worker.Send(stream.ToArray());
        sentinelAnswered.Task.Wait(TimeSpan.FromSeconds(20)).ShouldBeTrue($"seed {seed}: the worker never answered the call after the fuzzed frames");

        byte[] tail = mutator.NextCase(out string strategy);
        worker.Send(tail);
        worker.Connection.Shutdown(SocketShutdown.Send);

        worker.WaitForExit(s_exitTimeout).ShouldBeTrue($"seed {seed}: the worker must exit after the stream ends ({strategy} tail)");
        worker.Process.ExitCode.ShouldBe(0, $"seed {seed}:\n{worker.StandardError}");
        List<Frame> answers = output.Result;
        foreach (Frame frame in answers)
        {
            frame.Kind.ShouldBeOneOf(s_workerKinds, $"seed {seed}");
            if (frame.Kind is FrameKind.Result or FrameKind.Error or FrameKind.Withdrawn)
            {
                invokes.Contains(frame.Id).ShouldBeTrue($"seed {seed}: a {frame.Kind} for call {frame.Id}, which was never sent (payload {Convert.ToHexString(frame.Payload.Span)})");
            }

            if (frame.Kind == FrameKind.Error)
            {
                MemoryPackSerializer.Deserialize<RemoteError>(frame.Payload.Span).ShouldNotBeNull();
            }

            frame.Dispose();
        }

        TestContext.Out.WriteLine($"seed {seed}: {FramesPerWorker} frames + {tail.Length} bytes of {strategy}; {answers.Count} frames back: " +
            string.Join(", ", answers.GroupBy(f => f.Kind).Select(g => $"{g.Count()} {g.Key}")));
        answers.Count(f => f.Kind == FrameKind.Error).ShouldBeGreaterThan(0);
    }

    /// <summary>Reads everything the worker sends until it closes; a ProtocolException here means the worker sent garbage.</summary>
    internal static Task<List<Frame>> ReadAllAsync(RawWorker worker, Action<Frame>? onFrame = null) => Task.Factory.StartNew(() =>
    {
        var frames = new List<Frame>();
        while (worker.Reader.TryRead(out Frame frame))
        {
            frames.Add(frame);
            onFrame?.Invoke(frame);
        }

        return frames;
    }, TaskCreationOptions.LongRunning);

    private static Frame ReadAnswer(RawWorker worker, long callId)
    {
        while (true)
        {
            worker.Reader.TryRead(out Frame frame).ShouldBeTrue("the worker closed the connection instead of answering");
            if (frame.Kind == FrameKind.Output)
            {
                frame.Dispose();
                continue;
            }

            frame.Id.ShouldBe(callId);
            return frame;
        }
    }

    internal static RemoteError ReadError(RawWorker worker, long callId)
    {
        using Frame frame = ReadAnswer(worker, callId);
        frame.Kind.ShouldBe(FrameKind.Error, "the worker should have answered with an Error frame");
        return MemoryPackSerializer.Deserialize<RemoteError>(frame.Payload.Span)!;
    }

    internal static byte[] ReadResult(RawWorker worker, long callId)
    {
        using Frame frame = ReadAnswer(worker, callId);
        frame.Kind.ShouldBe(FrameKind.Result);
        return frame.Payload.ToArray();
    }
}

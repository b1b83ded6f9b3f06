using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading.Tasks;
using MemoryPack;
using NUnit.Framework;
using ParallelGen.Protocol.Tests.Infrastructure;
using ParallelGen.Serialization;
using ParallelGen.Transport;
using Shouldly;

namespace ParallelGen.Protocol.Tests;

/// <summary>
/// Structure-aware fuzzing of string length headers (<see cref="LengthHeaderMutator"/>), through the decoding paths
/// that take bytes from another process: results and queue items (<see cref="MemoryPackStates"/>), error reports
/// (<see cref="RemoteError.Decode"/>), and arguments in a live worker. Each case decodes or fails with
/// <see cref="MemoryPackSerializationException"/> (<see cref="ProtocolException"/> for an error report;
/// <see cref="OverflowException"/> for a negative array count, which MemoryPack's array reader turns into
/// <c>new T[count]</c>); nothing else, and no process dies.
/// </summary>
public class FuzzLengthHeaderTests
{
    private const int Cases = 20_000;

    [TestCase(1)]
    [TestCase(20261202)]
    public void LyingStringHeaders_DecodeOrFailWithASerializationException_InThisProcess(int seed)
    {
        var mutator = new LengthHeaderMutator(new Random(seed));
        var outcomes = new Dictionary<string, int>();
        for (int i = 0; i < Cases; i++)
        {
            var shape = (LengthHeaderMutator.Shape)(i % 3);
            byte[] payload = mutator.Next(shape, out string description);
            string outcome;
            try
            {
                _ = shape switch
                {
                    LengthHeaderMutator.Shape.String => MemoryPackStates.Deserialize<string>(payload),
                    LengthHeaderMutator.Shape.StringArray => MemoryPackStates.Deserialize<string[]>(payload),
                    _ => (object?)RemoteError.Decode(payload, workerProcessId: null),
                };
                outcome = "decoded";
            }
            catch (Exception refused) when (refused is MemoryPackSerializationException or ProtocolException)
            {
                outcome = "refused";
            }
            catch (OverflowException) when (shape == LengthHeaderMutator.Shape.StringArray)
            {
                // MemoryPack's array reader allocates new T[count] for a negative count: a clean, catchable refusal.
                outcome = "refused (negative count)";
            }
            catch (Exception unexpected)
            {
                Assert.Fail($"seed {seed}, case {i} ({description}: {Convert.ToHexString(payload)}): {unexpected.GetType()}: {unexpected.Message}");
                return;
            }

            string key = $"{shape} {outcome}";
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        }

        TestContext.Out.WriteLine($"seed {seed}: " + string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Value} {o.Key}")));
        foreach (LengthHeaderMutator.Shape shape in Enum.GetValues<LengthHeaderMutator.Shape>())
        {
            outcomes.GetValueOrDefault($"{shape} refused").ShouldBeGreaterThan(Cases / 20, $"{shape}: the lies must mostly be caught");
        }
    }

    /// <summary>Arguments with lying headers into a live worker: each call is answered, and the worker lives to exit cleanly.</summary>
    [TestCase(3)]
    [TestCase(4)]
    public void LyingStringHeaders_InArguments_AreAnsweredByALiveWorker(int seed)
    {
        const int Calls = 1500;
        var mutator = new LengthHeaderMutator(new Random(seed));
        using RawWorker worker = RawWorker.Start();
        worker.LoadTestAssembly();
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<List<Frame>> output = LiveWorkerTests.ReadAllAsync(worker, frame =>
        {
            if (frame.Id == Calls)
            {
                answered.TrySetResult();
            }
        });

        var stream = new MemoryStream();
        var sent = new Dictionary<long, string>();
        for (long id = 1; id <= Calls; id++)
        {
            bool array = id % 2 == 0;
            byte[] arguments = mutator.Next(array ? LengthHeaderMutator.Shape.StringArray : LengthHeaderMutator.Shape.String, out string description);
            ulong method = array ? ProtocolJobs.Remote.TotalLength.Call.Info.Id : ProtocolJobs.Remote.StringLength.Call.Info.Id;
            stream.Write(Frames.Build(FrameKind.Invoke, id, Frames.InvokePayload(method, 1, arguments)));
            sent[id] = description;
        }

        worker.Send(stream.ToArray());
        bool allAnswered = answered.Task.Wait(TimeSpan.FromSeconds(60));
        worker.Connection.Shutdown(SocketShutdown.Send);
        worker.WaitForExit(TimeSpan.FromSeconds(15)).ShouldBeTrue("the worker must exit after the stream ends");

        List<Frame> answers = output.Result;
        long lastAnswered = answers.Where(f => f.Kind is FrameKind.Result or FrameKind.Error).Select(f => f.Id).DefaultIfEmpty(0).Max();
        allAnswered.ShouldBeTrue($"seed {seed}: the worker stopped answering after call {lastAnswered}; the next was {sent.GetValueOrDefault(lastAnswered + 1)}\n{worker.StandardError}");
        worker.Process.ExitCode.ShouldBe(0, $"seed {seed}:\n{worker.StandardError}");
        // Errors: the decoder refusing a lie, or the method itself failing on what a lie decoded to (a null string).
        var errors = new Dictionary<string, int>();
        foreach (Frame frame in answers)
        {
            if (frame.Kind == FrameKind.Error)
            {
                string type = RemoteError.Decode(frame.Payload.Span, worker.Process.Id).Type;
                errors[type] = errors.GetValueOrDefault(type) + 1;
            }

            frame.Dispose();
        }

        TestContext.Out.WriteLine($"seed {seed}: {Calls} calls; errors: " + string.Join(", ", errors.Select(e => $"{e.Value} {e.Key}")));
        errors.GetValueOrDefault("MemoryPack.MemoryPackSerializationException").ShouldBeGreaterThan(Calls / 10);
        answers.Count(f => f.Kind is FrameKind.Result or FrameKind.Error).ShouldBe(Calls);
    }
}

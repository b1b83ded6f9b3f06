using System;
using System.Diagnostics;
using NUnit.Framework;
using ParallelGen.Protocol.Tests.Infrastructure;
using ParallelGen.Transport;
using Shouldly;

namespace ParallelGen.Protocol.Tests;

/// <summary>
/// Thousands of random and mutated streams into the real <see cref="FrameReader"/>: each either yields frames or
/// throws <see cref="ProtocolException"/>. Any other exception, a receive that times out (a hang), or an allocation
/// beyond what the bytes justify fails the case, named by its seed and index so it reproduces.
/// </summary>
public class FuzzDecoderTests
{
    private const int MaxMessageBytes = 16 * 1024 * 1024;
    private const int Cases = 6000;

    [TestCase(20261125)]
    [TestCase(8)]
    public void RandomAndMutatedStreams_YieldFramesOrProtocolException_Only(int seed)
    {
        var mutator = new Mutator(new Random(seed), FrameHeader.MaxLengthFor(MaxMessageBytes));
        int frames = 0;
        int protocolErrors = 0;
        int cleanEnds = 0;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Cases; i++)
        {
            byte[] stream = mutator.NextCase(out string strategy);
            string where = $"seed {seed}, case {i} ({strategy}, {stream.Length} bytes: {Convert.ToHexString(stream.AsSpan(0, Math.Min(stream.Length, 64)))})";
            using var pair = SocketPair.Create();
            FrameReader reader = pair.CreateReader(MaxMessageBytes);
            pair.SendAndClose(stream);

            long before = GC.GetAllocatedBytesForCurrentThread();
            int read = 0;
            try
            {
                while (reader.TryRead(out Frame frame))
                {
                    using (frame)
                    {
                        read++;
                        frame.Payload.Length.ShouldBeLessThanOrEqualTo(stream.Length - FrameHeader.Size * read, where);
                    }

                    read.ShouldBeLessThanOrEqualTo(stream.Length / FrameHeader.Size, where);
                }

                cleanEnds++;
            }
            catch (ProtocolException)
            {
                protocolErrors++;
            }
            catch (Exception unexpected) when (unexpected is not AssertionException)
            {
                Assert.Fail($"{where}: {unexpected.GetType()} is not a ProtocolException: {unexpected}");
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            // The first growth step of a large payload (1 MiB), once per case, plus small change per byte received.
            allocated.ShouldBeLessThan(1024 * 1024 + 64 * 1024 + 8L * stream.Length, where);
            frames += read;
        }

        TestContext.Out.WriteLine($"seed {seed}: {Cases} streams in {clock.ElapsedMilliseconds} ms; {frames} frames, {protocolErrors} ProtocolExceptions, {cleanEnds} clean ends");
        protocolErrors.ShouldBeGreaterThan(Cases / 4);
        frames.ShouldBeGreaterThan(Cases / 2);
    }

    [Test]
    public void UnmutatedStreams_RoundTripExactly()
    {
        var mutator = new Mutator(new Random(77), FrameHeader.MaxLengthFor(MaxMessageBytes));
        for (int i = 0; i < 1000; i++)
        {
            byte[] stream = mutator.ValidStream(out int count);
            using var pair = SocketPair.Create();
            FrameReader reader = pair.CreateReader(MaxMessageBytes);
            pair.SendAndClose(stream);
            int offset = 0;
            for (int f = 0; f < count; f++)
            {
                reader.TryRead(out Frame frame).ShouldBeTrue();
                using (frame)
                {
                    Frames.Build(frame.Kind, frame.Id, frame.Payload.Span).ShouldBe(stream.AsSpan(offset, FrameHeader.Size + frame.Payload.Length).ToArray());
                    offset += FrameHeader.Size + frame.Payload.Length;
                }
            }

            reader.TryRead(out _).ShouldBeFalse();
            offset.ShouldBe(stream.Length);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using ParallelGen.Protocol.Tests.Infrastructure;
using ParallelGen.Transport;
using Shouldly;

namespace ParallelGen.Protocol.Tests;

/// <summary>The real <see cref="FrameReader"/> over a real Unix socket pair, fed hostile and awkward byte streams.</summary>
public class DecoderTests
{
    private const int OneGiB = 1024 * 1024 * 1024;

    [TestCase(OneGiB + FrameHeader.MinimumLength + 1)]
    [TestCase(int.MaxValue)]
    public void OversizedLengthPrefix_ThrowsProtocolException_WithoutAllocatingIt(int lengthField)
    {
        using var pair = SocketPair.Create();
        FrameReader reader = pair.CreateReader(OneGiB);
        pair.SendAndClose(Frames.Header(lengthField));

        long before = GC.GetAllocatedBytesForCurrentThread();
        ProtocolException error = Should.Throw<ProtocolException>(() => reader.TryRead(out _));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        error.Message.ShouldContain(lengthField.ToString());
        allocated.ShouldBeLessThan(64 * 1024, "a rejected length prefix must not be allocated");
    }

    [Test]
    public void LengthAboveAConfiguredSmallMaximum_IsRejected()
    {
        using var pair = SocketPair.Create();
        FrameReader reader = pair.CreateReader(4096);
        pair.SendAndClose(Frames.Header(FrameHeader.MaxLengthFor(4096) + 1));

        Should.Throw<ProtocolException>(() => reader.TryRead(out _)).Message.ShouldContain("Invalid frame length");
    }

    [Test]
    public void LengthAtTheMaximum_ButPeerSendsLittle_AllocatesOnlyWhatArrives()
    {
        using var pair = SocketPair.Create();
        FrameReader reader = pair.CreateReader(OneGiB);
        byte[] header = Frames.Header(FrameHeader.MaxLengthFor(OneGiB));
        pair.SendAndClose([.. header, .. new byte[100]]);

        long before = GC.GetAllocatedBytesForCurrentThread();
        ProtocolException error = Should.Throw<ProtocolException>(() => reader.TryRead(out _));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        error.Message.ShouldContain("payload bytes missing");
        allocated.ShouldBeLessThan(2L * 1024 * 1024 + 64 * 1024, "a 1 GiB length prefix with 100 bytes behind it may cost the first growth step, not 1 GiB");
    }

    [TestCase(-1)]
    [TestCase(int.MinValue)]
    public void NegativeLength_ThrowsProtocolException(int lengthField)
    {
        using var pair = SocketPair.Create();
        FrameReader reader = pair.CreateReader(OneGiB);
        pair.SendAndClose(Frames.Header(lengthField));

        Should.Throw<ProtocolException>(() => reader.TryRead(out _)).Message.ShouldContain(lengthField.ToString());
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(FrameHeader.MinimumLength - 1)]
    public void LengthBelowTheHeaderMinimum_ThrowsProtocolException(int lengthField)
    {
        using var pair = SocketPair.Create();
        FrameReader reader = pair.CreateReader(OneGiB);
        pair.SendAndClose(Frames.Header(lengthField));

        Should.Throw<ProtocolException>(() => reader.TryRead(out _)).Message.ShouldContain($"Invalid frame length {lengthField}");
    }

    [Test]
    public void LengthExactlyTheHeaderMinimum_IsAFrameWithAnEmptyPayload()
    {
        using var pair = SocketPair.Create();
        FrameReader reader = pair.CreateReader(OneGiB);
        pair.SendAndClose(Frames.Header(FrameHeader.MinimumLength, FrameKind.Cancel, 42));

        reader.TryRead(out Frame frame).ShouldBeTrue();
        frame.Kind.ShouldBe(FrameKind.Cancel);
        frame.Id.ShouldBe(42);
        frame.Payload.Length.ShouldBe(0);
        reader.TryRead(out _).ShouldBeFalse();
    }

    [TestCase(1)]
    [TestCase(4)]
    [TestCase(FrameHeader.Size - 1)]
    public void PeerStopsMidHeader_ThrowsProtocolException(int bytesSent)
    {
        using var pair = SocketPair.Create();
        FrameReader reader = pair.CreateReader(OneGiB);
        byte[] frame = Frames.Build(FrameKind.Result, 7, [1, 2, 3]);
        pair.SendAndClose(frame.AsSpan(0, bytesSent));

        Should.Throw<ProtocolException>(() => reader.TryRead(out _)).Message.ShouldContain($"({bytesSent} of {FrameHeader.Size} bytes)");
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(99)]
    public void PeerStopsMidPayload_ThrowsProtocolException(int payloadBytesSent)
    {
        using var pair = SocketPair.Create();
        FrameReader reader = pair.CreateReader(OneGiB);
        byte[] frame = Frames.Build(FrameKind.Result, 7, new byte[100]);
        pair.SendAndClose(frame.AsSpan(0, FrameHeader.Size + payloadBytesSent));

        Should.Throw<ProtocolException>(() => reader.TryRead(out _)).Message.ShouldContain($"({100 - payloadBytesSent} payload bytes missing)");
    }

    [Test]
    public void PeerStopsMidPayload_OfALargeFrame_ThrowsProtocolException()
    {
        using var pair = SocketPair.Create();
        FrameReader reader = pair.CreateReader(OneGiB);
        byte[] frame = Frames.Build(FrameKind.Result, 7, new byte[3 * 1024 * 1024]);
        Task writer = Task.Run(() => pair.SendAndClose(frame.AsSpan(0, frame.Length - 10)));

        Should.Throw<ProtocolException>(() => reader.TryRead(out _)).Message.ShouldContain("(10 payload bytes missing)");
        writer.Wait();
    }

    [Test]
    public void CleanEndOfStream_BeforeAnyFrame_ReturnsFalse()
    {
        using var pair = SocketPair.Create();
        FrameReader reader = pair.CreateReader(OneGiB);
        pair.SendAndClose(ReadOnlySpan<byte>.Empty);

        reader.TryRead(out _).ShouldBeFalse();
    }

    [Test]
    public void CleanEndOfStream_BetweenFrames_ReturnsFalse()
    {
        using var pair = SocketPair.Create();
        FrameReader reader = pair.CreateReader(OneGiB);
        pair.SendAndClose([.. Frames.Build(FrameKind.Result, 1, [9]), .. Frames.Build(FrameKind.Error, 2, [])]);

        reader.TryRead(out Frame first).ShouldBeTrue();
        first.Payload.ToArray().ShouldBe(new byte[] { 9 });
        first.Dispose();
        reader.TryRead(out Frame second).ShouldBeTrue();
        second.Kind.ShouldBe(FrameKind.Error);
        reader.TryRead(out _).ShouldBeFalse();
    }

    [Test]
    public void ManyFramesInOneWrite_AreReadInOrder_IncludingOnesThatStraddleTheReceiveBuffer()
    {
        var random = new Random(1234);
        var sent = new List<(FrameKind Kind, long Id, byte[] Payload)>();
        for (int i = 0; i < 3000; i++)
        {
            int size = i % 500 == 0 ? random.Next(64 * 1024, 300 * 1024) : random.Next(0, 400);
            sent.Add(((FrameKind)random.Next(1, 21), random.NextInt64(), Frames.RandomBytes(random, size)));
        }

        byte[] stream = Frames.Concat(sent.Select(f => Frames.Build(f.Kind, f.Id, f.Payload)));
        using var pair = SocketPair.Create();
        FrameReader reader = pair.CreateReader(1024 * 1024);
        Task writer = Task.Run(() =>
        {
            pair.Peer.Send(stream).ShouldBe(stream.Length); // one write call for everything
            pair.Peer.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        });

        foreach ((FrameKind kind, long id, byte[] payload) in sent)
        {
            reader.TryRead(out Frame frame).ShouldBeTrue();
            using (frame)
            {
                frame.Kind.ShouldBe(kind);
                frame.Id.ShouldBe(id);
                frame.Payload.Span.SequenceEqual(payload).ShouldBeTrue();
            }
        }

        reader.TryRead(out _).ShouldBeFalse();
        writer.Wait();
    }

    [Test]
    public void FramesSplitByteByByte_AreReassembled()
    {
        var random = new Random(99);
        var sent = new List<(FrameKind Kind, long Id, byte[] Payload)>
        {
            (FrameKind.Result, 1, []),
            (FrameKind.Error, long.MaxValue, Frames.RandomBytes(random, 37)),
            (FrameKind.Output, -5, Frames.RandomBytes(random, 300)),
            (FrameKind.ChannelItem, 0, [0]),
        };
        byte[] stream = Frames.Concat(sent.Select(f => Frames.Build(f.Kind, f.Id, f.Payload)));

        using var pair = SocketPair.Create();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        FrameReader reader = pair.CreateReader(1024 * 1024);
        Task writer = Task.Run(() =>
        {
            for (int i = 0; i < stream.Length; i++)
            {
                pair.WaitUntilDrained(cancel.Token); // the reader took the previous byte: this one is a receive of its own
                SocketPair.SendAll(pair.Peer, stream.AsSpan(i, 1));
            }

            pair.Peer.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        });

        foreach ((FrameKind kind, long id, byte[] payload) in sent)
        {
            reader.TryRead(out Frame frame).ShouldBeTrue();
            using (frame)
            {
                frame.Kind.ShouldBe(kind);
                frame.Id.ShouldBe(id);
                frame.Payload.ToArray().ShouldBe(payload);
            }
        }

        reader.TryRead(out _).ShouldBeFalse();
        writer.Wait();
    }

    [Test]
    public void LargeFrameArrivingSlowlyInPieces_IsReassembled()
    {
        var random = new Random(5);
        byte[] payload = Frames.RandomBytes(random, 5 * 1024 * 1024 + 17);
        byte[] stream = [.. Frames.Build(FrameKind.Result, 3, payload), .. Frames.Build(FrameKind.Result, 4, [1, 2])];

        using var pair = SocketPair.Create();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        FrameReader reader = pair.CreateReader(8 * 1024 * 1024);
        int pieces = 0;
        Task writer = Task.Run(() =>
        {
            for (int offset = 0; offset < stream.Length;)
            {
                int size = Math.Min(stream.Length - offset, random.Next(1, 128 * 1024));
                pair.WaitUntilDrained(cancel.Token);
                SocketPair.SendAll(pair.Peer, stream.AsSpan(offset, size));
                offset += size;
                pieces++;
            }

            pair.Peer.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        });

        reader.TryRead(out Frame large).ShouldBeTrue();
        using (large)
        {
            large.Id.ShouldBe(3);
            large.Payload.Span.SequenceEqual(payload).ShouldBeTrue();
        }

        reader.TryRead(out Frame small).ShouldBeTrue();
        small.Payload.ToArray().ShouldBe(new byte[] { 1, 2 });
        small.Dispose();
        reader.TryRead(out _).ShouldBeFalse();
        writer.Wait();
        pieces.ShouldBeGreaterThan(50);
    }
}

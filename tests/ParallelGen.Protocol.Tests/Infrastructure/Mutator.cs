using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using ParallelGen.Transport;

namespace ParallelGen.Protocol.Tests.Infrastructure;

/// <summary>Random and mutated frame streams from a seeded <see cref="Random"/>: a failing case reproduces from its seed.</summary>
internal sealed class Mutator
{
    private static readonly int[] s_lengthValues =
    [
        int.MinValue, -1, 0, 1, FrameHeader.MinimumLength - 1, FrameHeader.MinimumLength, FrameHeader.MinimumLength + 1,
        64 * 1024, 1024 * 1024, int.MaxValue - 1, int.MaxValue,
    ];

    private readonly Random _random;
    private readonly int _maxFrameLength;

    public Mutator(Random random, int maxFrameLength)
    {
        _random = random;
        _maxFrameLength = maxFrameLength;
    }

    public Random Random => _random;

    /// <summary>A well-formed frame with a random kind, id and payload (up to <paramref name="maxPayload"/> bytes).</summary>
    public byte[] ValidFrame(int maxPayload)
    {
        var kind = (FrameKind)(_random.Next(4) == 0 ? _random.Next(256) : _random.Next(1, 21));
        long id = _random.Next(3) == 0 ? _random.NextInt64(long.MinValue, long.MaxValue) : _random.Next(-2, 100);
        return Frames.Build(kind, id, Frames.RandomBytes(_random, _random.Next(maxPayload + 1)));
    }

    public byte[] ValidStream(out int frameCount)
    {
        frameCount = _random.Next(1, 6);
        var frames = new List<byte[]>();
        for (int i = 0; i < frameCount; i++)
        {
            frames.Add(ValidFrame(_random.Next(3) == 0 ? 2000 : 40));
        }

        return Frames.Concat(frames);
    }

    /// <summary>One fuzz case: pure noise, or a valid stream that is bit-flipped, truncated, spliced or given a lying length.</summary>
    public byte[] NextCase(out string strategy)
    {
        switch (_random.Next(6))
        {
            case 0:
                strategy = "random bytes";
                return Frames.RandomBytes(_random, _random.Next(0, 400));
            case 1:
            {
                strategy = "bit flips";
                byte[] stream = ValidStream(out _);
                for (int flips = _random.Next(1, 5); flips > 0; flips--)
                {
                    stream[_random.Next(stream.Length)] ^= (byte)(1 << _random.Next(8));
                }

                return stream;
            }

            case 2:
            {
                strategy = "truncated";
                byte[] stream = ValidStream(out _);
                return stream.AsSpan(0, _random.Next(stream.Length)).ToArray();
            }

            case 3:
            {
                strategy = "lying length";
                byte[] stream = ValidStream(out _);
                int value = _random.Next(3) switch
                {
                    0 => s_lengthValues[_random.Next(s_lengthValues.Length)],
                    1 => _random.Next(_maxFrameLength - 16, _maxFrameLength + 16),
                    _ => _random.Next(int.MinValue, int.MaxValue),
                };
                BinaryPrimitives.WriteInt32LittleEndian(stream, value);
                return stream;
            }

            case 4:
            {
                strategy = "bytes inserted or deleted";
                var stream = new List<byte>(ValidStream(out _));
                for (int edits = _random.Next(1, 4); edits > 0; edits--)
                {
                    int at = _random.Next(stream.Count + 1);
                    if (_random.Next(2) == 0 && at < stream.Count)
                    {
                        stream.RemoveRange(at, Math.Min(stream.Count - at, _random.Next(1, 8)));
                    }
                    else
                    {
                        stream.InsertRange(at, Frames.RandomBytes(_random, _random.Next(1, 8)));
                    }
                }

                return stream.ToArray();
            }

            default:
            {
                strategy = "valid frames then noise";
                return [.. ValidStream(out _), .. Frames.RandomBytes(_random, _random.Next(1, 64))];
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Text;
using MemoryPack;

namespace ParallelGen.Protocol.Tests.Infrastructure;

/// <summary>
/// Structure-aware fuzzing of MemoryPack length headers: builds a valid encoding of a string, a string[] or an
/// error report (RemoteError), remembering where each length header sits, then makes one or two of them lie with
/// values chosen around the bytes that follow (the overflowing UTF-8 headers, ±1, UTF-16 vs UTF-8, null, huge).
/// Random bytes rarely hit these: the 12,000 streams of <see cref="Mutator"/> never did.
/// </summary>
internal sealed class LengthHeaderMutator
{
    public enum Shape
    {
        String,
        StringArray,
        Error,
    }

    private readonly Random _random;

    public LengthHeaderMutator(Random random)
    {
        _random = random;
    }

    public byte[] Next(Shape shape, out string description)
    {
        var payload = new List<byte>();
        var headers = new List<int>();
        switch (shape)
        {
            case Shape.String:
                AppendString(payload, headers, RandomText());
                break;
            case Shape.StringArray:
            {
                int count = _random.Next(0, 5);
                headers.Add(payload.Count);
                payload.AddRange(StringPayloads.Int32(count));
                for (int i = 0; i < count; i++)
                {
                    AppendString(payload, headers, RandomText());
                }

                break;
            }

            default:
            {
                int entries = _random.Next(1, 4);
                payload.Add(1); // RemoteError: one member, the chain
                headers.Add(payload.Count);
                payload.AddRange(StringPayloads.Int32(entries));
                for (int i = 0; i < entries; i++)
                {
                    payload.Add(3); // RemoteErrorEntry: Type, Message, StackTrace
                    AppendString(payload, headers, "System." + RandomText());
                    AppendString(payload, headers, RandomText());
                    AppendString(payload, headers, _random.Next(3) == 0 ? null : RandomText());
                }

                break;
            }
        }

        var lies = new List<string>();
        for (int n = _random.Next(1, 3); n > 0 && headers.Count > 0; n--)
        {
            int at = headers[_random.Next(headers.Count)];
            int value = Lie(payload.Count - at - sizeof(int));
            byte[] bytes = StringPayloads.Int32(value);
            for (int b = 0; b < bytes.Length; b++)
            {
                payload[at + b] = bytes[b];
            }

            lies.Add($"0x{value:X8} at {at}");
        }

        description = $"{shape}, {payload.Count} bytes, headers {string.Join(", ", lies)}";
        return payload.ToArray();
    }

    private int Lie(int remaining)
    {
        return _random.Next(14) switch
        {
            0 => unchecked((int)(0x80000000u + (uint)_random.Next(4))), // UTF-8 byte count + 4 overflows int
            1 => unchecked((int)0x80000004u),
            2 => -2, // UTF-8, 1 byte
            3 => -1, // null
            4 => 0,
            5 => remaining / 2 + 1, // UTF-16: one char more than there are bytes for
            6 => remaining / 2,
            7 => ~(remaining - sizeof(int) + 1), // UTF-8: one byte more than there is
            8 => ~(remaining - sizeof(int)),
            9 => ~remaining,
            10 => int.MaxValue,
            11 => int.MaxValue / 2 + 1, // UTF-16 byte count overflows int
            12 => remaining + 1,
            _ => _random.Next(int.MinValue, int.MaxValue),
        };
    }

    private void AppendString(List<byte> payload, List<int> headers, string? text)
    {
        headers.Add(payload.Count);
        payload.AddRange(_random.Next(2) == 0
            ? MemoryPackSerializer.Serialize(text)
            : MemoryPackSerializer.Serialize(text, MemoryPackSerializerOptions.Utf16));
    }

    private string RandomText()
    {
        var text = new StringBuilder();
        for (int i = _random.Next(0, 12); i > 0; i--)
        {
            text.Append(_random.Next(5) == 0 ? (char)_random.Next(0x80, 0xD7FF) : (char)_random.Next('a', 'z' + 1));
        }

        return text.ToString();
    }
}

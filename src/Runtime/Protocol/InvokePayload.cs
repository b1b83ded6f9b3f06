using System;
using System.Buffers.Binary;
using System.Text;

namespace ParallelGen.Protocol;

/// <summary>
/// An encoded call, whatever carries it: <c>[u64 method id][i32 argument-set count][arguments]</c>, and when traced
/// a trailer <c>[W3C traceparent, ASCII][u8 its length]</c> so the call runs under the caller's trace. Written by
/// the pool (<see cref="Backends.EncodedCall"/>), read by workers of every backend.
/// </summary>
internal readonly struct InvokePayload
{
    public const int PrefixSize = 12;

    private InvokePayload(ulong methodId, int count, ReadOnlyMemory<byte> arguments, string? traceParent)
    {
        MethodId = methodId;
        Count = count;
        Arguments = arguments;
        TraceParent = traceParent;
    }

    public ulong MethodId { get; }

    public int Count { get; }

    public ReadOnlyMemory<byte> Arguments { get; }

    public string? TraceParent { get; }

    /// <summary>Writes the prefix into a frame whose arguments are already written after it.</summary>
    public static void WritePrefix(Span<byte> prefix, ulong methodId, int count)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, methodId);
        BinaryPrimitives.WriteInt32LittleEndian(prefix[8..], count);
    }

    /// <exception cref="ProtocolException">The payload is too short or its trailer is malformed.</exception>
    public static InvokePayload Parse(bool traced, ReadOnlyMemory<byte> payload)
    {
        if (payload.Length < PrefixSize)
        {
            throw new ProtocolException($"An invoke payload needs at least {PrefixSize} payload bytes; it had {payload.Length}.");
        }

        ReadOnlySpan<byte> span = payload.Span;
        ulong methodId = BinaryPrimitives.ReadUInt64LittleEndian(span);
        int count = BinaryPrimitives.ReadInt32LittleEndian(span[8..]);
        if (count < 0)
        {
            throw new ProtocolException($"An invoke payload cannot carry {count} argument sets.");
        }

        ReadOnlyMemory<byte> arguments = payload[PrefixSize..];
        string? traceParent = null;
        if (traced)
        {
            int length = arguments.Length == 0 ? -1 : arguments.Span[^1];
            if (length < 0 || length + 1 > arguments.Length)
            {
                throw new ProtocolException("A traced invoke payload has a malformed trace trailer.");
            }

            traceParent = Encoding.ASCII.GetString(arguments.Span.Slice(arguments.Length - 1 - length, length));
            arguments = arguments[..(arguments.Length - 1 - length)];
        }

        return new InvokePayload(methodId, count, arguments, traceParent);
    }
}

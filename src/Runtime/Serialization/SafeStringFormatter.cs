using System;
using System.Runtime.InteropServices;
using System.Text;
using MemoryPack;

namespace ParallelGen.Serialization;

/// <summary>
/// Decodes MemoryPack's string format itself, checking every length against the bytes that remain first.
/// MemoryPack's own <see cref="MemoryPackReader.ReadString"/> (1.21.4) does not: for a UTF-8 header of
/// <c>0x80000000</c>..<c>0x80000003</c> its byte count plus 4 overflows <see cref="int"/>, the bounds check passes, and
/// it decodes about 2 GiB past the buffer, which ends the process with an uncatchable access violation. Bytes from
/// another process must never reach that reader.
/// </summary>
/// <remarks>
/// The format: <c>[i32 header]</c>; -1 is null, 0 is empty; a positive header is a UTF-16 string of that many chars;
/// any other negative header is <c>~utf8ByteCount</c>, followed by <c>[i32 utf16Length][utf8 bytes]</c>.
/// Writing is MemoryPack's own: only decoding is replaced.
/// </remarks>
internal sealed class SafeStringFormatter : MemoryPackFormatter<string>
{
    public static readonly SafeStringFormatter Instance = new();

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public override void Serialize<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, scoped ref string? value) =>
        writer.WriteString(value);

    public override void Deserialize(ref MemoryPackReader reader, scoped ref string? value) => value = Read(ref reader);

    /// <exception cref="MemoryPackSerializationException">A length that the remaining bytes cannot hold, or invalid UTF-8.</exception>
    public static string? Read(ref MemoryPackReader reader)
    {
        int header = reader.ReadUnmanaged<int>(); // bounds-checked: fewer than 4 bytes left throws
        if (header == MemoryPackCode.NullCollection)
        {
            return null;
        }

        if (header == 0)
        {
            return "";
        }

        long remaining = reader.Remaining;
        if (header > 0)
        {
            long utf16Bytes = 2L * header;
            if (utf16Bytes > remaining)
            {
                throw Malformed($"claims {header} UTF-16 chars ({utf16Bytes} bytes)", remaining);
            }

            ReadOnlySpan<byte> chars = Take(ref reader, (int)utf16Bytes);
            string text = new(MemoryMarshal.Cast<byte, char>(chars));
            reader.Advance((int)utf16Bytes);
            return text;
        }

        long utf8Bytes = ~(long)header;
        long total = sizeof(int) + utf8Bytes;
        if (total > remaining)
        {
            throw Malformed($"claims {utf8Bytes} UTF-8 bytes after a 4-byte UTF-16 length", remaining);
        }

        ReadOnlySpan<byte> body = Take(ref reader, (int)total);
        int utf16Length = MemoryMarshal.Read<int>(body);
        string decoded;
        try
        {
            // MemoryPack's writer always records the UTF-16 length and its reader then rejects invalid UTF-8;
            // without one it substitutes U+FFFD. Same here, so values decode exactly as MemoryPack decodes them.
            decoded = utf16Length > 0 ? s_strictUtf8.GetString(body[sizeof(int)..]) : Encoding.UTF8.GetString(body[sizeof(int)..]);
        }
        catch (DecoderFallbackException invalid)
        {
            throw new MemoryPackSerializationException($"A string's bytes are not valid UTF-8: {invalid.Message}");
        }

        reader.Advance((int)total);
        return decoded;
    }

    /// <summary>The next <paramref name="count"/> bytes, which the caller has checked are there.</summary>
    private static ReadOnlySpan<byte> Take(ref MemoryPackReader reader, int count) =>
        MemoryMarshal.CreateReadOnlySpan(ref reader.GetSpanReference(count), count);

    private static MemoryPackSerializationException Malformed(string claim, long remaining) =>
        new($"Malformed string: its header {claim}, but only {remaining} bytes remain.");
}

/// <summary>Makes MemoryPack decode a <see cref="string"/> member with <see cref="SafeStringFormatter"/>.</summary>
/// <remarks>
/// MemoryPack's generated formatters call <see cref="MemoryPackReader.ReadString"/> directly for string members,
/// bypassing the registered string formatter; this attribute is how a <c>[MemoryPackable]</c> type opts out.
/// </remarks>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
internal sealed class SafeStringAttribute : MemoryPackCustomFormatterAttribute<SafeStringFormatter, string>
{
    public override SafeStringFormatter GetFormatter() => SafeStringFormatter.Instance;
}

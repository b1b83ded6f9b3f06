using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using MemoryPack;

namespace ParallelGen.Protocol.Tests.Infrastructure;

/// <summary>
/// MemoryPack string encodings whose length header lies. A string is <c>[i32 header]</c> then, for a negative header
/// <c>~utf8Bytes</c>, <c>[i32 utf16Length][utf8 bytes]</c>; for a positive one, that many UTF-16 chars.
/// </summary>
internal static class StringPayloads
{
    /// <summary>
    /// Each lie with its name. The first four are the headers whose UTF-8 byte count plus 4 overflows int in
    /// MemoryPack 1.21.4's reader: <c>00 00 00 80 00 00 00 00 41</c> is the nine bytes that end a process.
    /// </summary>
    public static IEnumerable<(string Name, byte[] Bytes)> Malformed()
    {
        foreach (uint header in new uint[] { 0x80000000, 0x80000001, 0x80000002, 0x80000003 })
        {
            yield return ($"UTF-8 header 0x{header:X8}", [.. Int32(unchecked((int)header)), 0, 0, 0, 0, 0x41]);
        }

        yield return ("UTF-8 header 0x80000000 and nothing after it", Int32(int.MinValue));
        yield return ("UTF-8 header 0x80000000 with a positive UTF-16 length", [.. Int32(int.MinValue), .. Int32(3), 0x41, 0x42, 0x43]);
        yield return ("UTF-8 length 1000 over 1 byte", [.. Int32(~1000), .. Int32(1000), 0x41]);
        yield return ("UTF-8 length 2^31-5 over 1 byte", [.. Int32(~(int.MaxValue - 4)), .. Int32(0), 0x41]);
        yield return ("UTF-16 length 1000 over 2 bytes", [.. Int32(1000), 0x41, 0]);
        yield return ("UTF-16 length 2^31-1 over 2 bytes", [.. Int32(int.MaxValue), 0x41, 0]);
    }

    /// <summary>Names for <c>[TestCaseSource]</c>.</summary>
    public static IEnumerable<string> MalformedNames() => Malformed().Select(c => c.Name);

    public static byte[] Named(string name) => Malformed().Single(c => c.Name == name).Bytes;

    /// <summary>
    /// A <c>RemoteError</c> payload (one chain entry) whose Type text is <paramref name="malformedString"/>:
    /// <c>[members 1][chain count 1][entry members 3][Type…]</c>.
    /// </summary>
    public static byte[] ErrorWithTypeText(byte[] malformedString) => [1, .. Int32(1), 3, .. malformedString];

    public static byte[] Int32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    /// <summary>
    /// The id the next call submitted in this process will get. Call ids come from one counter in the runtime, and
    /// tests run one at a time, so a worker can be told the id of the very call it runs.
    /// </summary>
    public static long NextCallId()
    {
        Type task = typeof(ProcessPool).Assembly.GetTypes().Single(t => t.Name == "PoolTask");
        FieldInfo counter = task.GetField("s_nextCallId", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException("PoolTask has no s_nextCallId counter any more.");
        return (long)counter.GetValue(null)! + 1;
    }

    /// <summary>A valid MemoryPack encoding, as the runtime's writer produces it.</summary>
    public static byte[] Valid<T>(T value) => MemoryPackSerializer.Serialize(value);
}

using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using MemoryPack;
using NUnit.Framework;
using ParallelGen.Serialization;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

/// <summary>
/// Arrays of primitive types decode through ParallelGen's formatter: MemoryPack's format both ways, lengths checked
/// as 64-bit products, and large arrays advised onto huge pages before they are filled.
/// </summary>
public class PrimitiveArrayFormatterTests
{
    [Test]
    public void ItIsTheFormatterMemoryPackUsesForPrimitiveArrays()
    {
        using MemoryPackReaderOptionalState state = MemoryPackStates.RentReaderState(); // registers the runtime's formatters
        var reader = new MemoryPackReader(ReadOnlySpan<byte>.Empty, state);
        reader.GetFormatter<byte[]>().ShouldBeOfType<PrimitiveArrayFormatter<byte>>();
        reader.GetFormatter<double[]>().ShouldBeOfType<PrimitiveArrayFormatter<double>>();
        reader.GetFormatter<long[]>().ShouldBeOfType<PrimitiveArrayFormatter<long>>();
        reader.Dispose();
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(1000)]
    [TestCase(1_100_000)]
    public void Arrays_RoundTrip_InMemoryPacksOwnFormat(int length)
    {
        byte[] bytes = Enumerable.Range(0, length).Select(i => (byte)(i * 31)).ToArray();
        int[] ints = Enumerable.Range(-length / 2, length).ToArray();
        double[] doubles = ints.Select(i => i / 3.0).ToArray();

        byte[] encodedBytes = MemoryPackStates.Serialize(bytes);
        encodedBytes.ShouldBe(MemoryPackSerializer.Serialize(bytes), "the wire format is MemoryPack's");
        MemoryPackStates.Deserialize<byte[]>(encodedBytes).ShouldBe(bytes);
        MemoryPackStates.Deserialize<int[]>(MemoryPackStates.Serialize(ints)).ShouldBe(ints);
        MemoryPackStates.Deserialize<double[]>(MemoryPackStates.Serialize(doubles)).ShouldBe(doubles);
    }

    [Test]
    public void Null_RoundTrips() =>
        MemoryPackStates.Deserialize<int[]>(MemoryPackStates.Serialize<int[]>(null)).ShouldBeNull();

    [Test]
    public void InsideATuple_ItDecodesToo()
    {
        (byte[], long[]) value = ([1, 2, 3], [long.MinValue, 0, long.MaxValue]);
        (byte[] Bytes, long[] Longs) decoded = MemoryPackStates.Deserialize<(byte[], long[])>(MemoryPackStates.Serialize(value));
        decoded.Bytes.ShouldBe(value.Item1);
        decoded.Longs.ShouldBe(value.Item2);
    }

    /// <summary>A header that claims more elements than the bytes after it hold fails cleanly, whatever the element size.</summary>
    [TestCase(3, 2)]
    [TestCase(int.MaxValue, 8)]
    [TestCase(0x2000_0001, 16)]
    public void ALengthTheBytesCannotHold_FailsWithASerializationException(int claimed, int present)
    {
        byte[] malformed = new byte[sizeof(int) + present];
        BinaryPrimitives.WriteInt32LittleEndian(malformed, claimed);
        Should.Throw<MemoryPackSerializationException>(() => MemoryPackStates.Deserialize<long[]>(malformed));
        Should.Throw<MemoryPackSerializationException>(() => MemoryPackStates.Deserialize<double[]>(malformed));
    }

    /// <summary>
    /// A decoded array of 4 MiB or more sits in memory the kernel was asked to back with huge pages: its mapping in
    /// /proc/self/smaps carries the "hg" flag (MADV_HUGEPAGE). Whether the kernel then finds free huge pages is its
    /// own business; the advice is what ParallelGen controls.
    /// </summary>
    [Test]
    public unsafe void ALargeDecodedArray_IsAdvisedOntoHugePages()
    {
        if (!OperatingSystem.IsLinux() || !File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled").Contains("[madvise]", StringComparison.Ordinal))
        {
            Assert.Ignore("Needs Linux with transparent huge pages in \"madvise\" mode.");
        }

        byte[] decoded = MemoryPackStates.Deserialize<byte[]>(MemoryPackStates.Serialize(new byte[16 * 1024 * 1024]))!;
        byte[] small = MemoryPackStates.Deserialize<byte[]>(MemoryPackStates.Serialize(new byte[64 * 1024]))!;
        fixed (byte* large = decoded, little = small)
        {
            long middle = (long)large + (decoded.Length / 2);
            VmFlagsAt(middle).ShouldContain("hg", Case.Sensitive, "the large array's middle is in a huge-page-advised mapping");
            VmFlagsAt((long)little).ShouldNotContain(" hg", Case.Sensitive, "a small array is left alone");
        }
    }

    /// <summary>The VmFlags line of the /proc/self/smaps mapping that contains <paramref name="address"/>.</summary>
    /// <remarks>A mapping starts with a line "start-end perms …"; its fields follow as "Name: value" lines.</remarks>
    private static string VmFlagsAt(long address)
    {
        bool inside = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            string first = line.Split(' ', 2)[0];
            if (!first.EndsWith(':'))
            {
                string[] range = first.Split('-');
                inside = address >= Convert.ToInt64(range[0], 16) && address < Convert.ToInt64(range[1], 16);
            }
            else if (inside && first == "VmFlags:")
            {
                return line + " ";
            }
        }

        throw new InvalidOperationException($"No mapping in /proc/self/smaps contains 0x{address:x}.");
    }
}

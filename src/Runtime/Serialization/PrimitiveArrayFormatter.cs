using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MemoryPack;

namespace ParallelGen.Serialization;

/// <summary>
/// An array of a primitive type (<c>byte[]</c>, <c>int[]</c>, <c>double[]</c>, …) in MemoryPack's own format, a
/// length and the raw elements, written by MemoryPack's writer. Decoding is MemoryPack's too, except that a large
/// array gets huge pages advised before its elements are copied in (<see cref="HugePages"/>), and that its length is
/// checked against the bytes that remain as a 64-bit product, so no length can overflow the check.
/// </summary>
/// <remarks>
/// Used wherever MemoryPack looks up a formatter for such an array: a method's argument or result, an element of a
/// tuple, list or dictionary. A member of a <c>[MemoryPackable]</c> type is decoded by MemoryPack's generated code
/// instead, as before.
/// </remarks>
internal sealed class PrimitiveArrayFormatter<T> : MemoryPackFormatter<T[]>
    where T : unmanaged
{
    public static readonly PrimitiveArrayFormatter<T> Instance = new();

    public override void Serialize<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, scoped ref T[]? value) =>
        writer.WriteUnmanagedArray(value);

    public override void Deserialize(ref MemoryPackReader reader, scoped ref T[]? value)
    {
        if (!reader.TryReadCollectionHeader(out int length))
        {
            value = null;
            return;
        }

        if (length == 0)
        {
            value = [];
            return;
        }

        long bytes = (long)length * Unsafe.SizeOf<T>();
        if (bytes > reader.Remaining)
        {
            throw new MemoryPackSerializationException(
                $"Malformed {typeof(T).Name}[]: its header claims {length} elements ({bytes} bytes), but only {reader.Remaining} bytes remain.");
        }

        ref byte source = ref reader.GetSpanReference((int)bytes);
        T[] array = GC.AllocateUninitializedArray<T>(length);
        HugePages.AdviseForFirstFill(array);
        Unsafe.CopyBlockUnaligned(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetArrayDataReference(array)), ref source, (uint)bytes);
        reader.Advance((int)bytes);
        value = array;
    }
}

/// <summary>Registers <see cref="PrimitiveArrayFormatter{T}"/> for every primitive numeric element type.</summary>
internal static class PrimitiveArrayFormatters
{
    public static void Register()
    {
        MemoryPackFormatterProvider.Register(PrimitiveArrayFormatter<byte>.Instance);
        MemoryPackFormatterProvider.Register(PrimitiveArrayFormatter<sbyte>.Instance);
        MemoryPackFormatterProvider.Register(PrimitiveArrayFormatter<short>.Instance);
        MemoryPackFormatterProvider.Register(PrimitiveArrayFormatter<ushort>.Instance);
        MemoryPackFormatterProvider.Register(PrimitiveArrayFormatter<int>.Instance);
        MemoryPackFormatterProvider.Register(PrimitiveArrayFormatter<uint>.Instance);
        MemoryPackFormatterProvider.Register(PrimitiveArrayFormatter<long>.Instance);
        MemoryPackFormatterProvider.Register(PrimitiveArrayFormatter<ulong>.Instance);
        MemoryPackFormatterProvider.Register(PrimitiveArrayFormatter<float>.Instance);
        MemoryPackFormatterProvider.Register(PrimitiveArrayFormatter<double>.Instance);
    }
}

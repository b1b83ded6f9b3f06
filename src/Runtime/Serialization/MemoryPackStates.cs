using System;
using MemoryPack;
using ParallelGen.Generated;

namespace ParallelGen.Serialization;

/// <summary>Creates MemoryPack readers and writers with the options every ParallelGen payload uses.</summary>
internal static class MemoryPackStates
{
    /// <summary>UTF-8 strings: smaller on the wire; readers accept either encoding.</summary>
    public static readonly MemoryPackSerializerOptions Options = MemoryPackSerializerOptions.Default;

    /// <summary>
    /// Every encode and decode in the runtime rents its state here, so this runs before the first one: it registers
    /// the formatters ParallelGen and the loaded assemblies need (see <see cref="FormatterRegistry"/>).
    /// </summary>
    static MemoryPackStates() => FormatterRegistry.EnsureRegistered();

    public static MemoryPackWriterOptionalState RentWriterState() => MemoryPackWriterOptionalStatePool.Rent(Options);

    public static MemoryPackReaderOptionalState RentReaderState() => MemoryPackReaderOptionalStatePool.Rent(Options);

    /// <summary>Encodes one value, as <see cref="MemoryPackSerializer.Serialize{T}(in T, MemoryPackSerializerOptions?)"/> would.</summary>
    public static byte[] Serialize<T>(in T? value) => MemoryPackSerializer.Serialize(value, Options);

    /// <summary>Decodes one value, as <see cref="MemoryPackSerializer.Deserialize{T}(ReadOnlySpan{byte}, MemoryPackSerializerOptions?)"/> would.</summary>
    public static T? Deserialize<T>(ReadOnlySpan<byte> bytes)
    {
        using MemoryPackReaderOptionalState state = RentReaderState();
        var reader = new MemoryPackReader(bytes, state);
        try
        {
            return reader.ReadValue<T>();
        }
        finally
        {
            reader.Dispose();
        }
    }
}

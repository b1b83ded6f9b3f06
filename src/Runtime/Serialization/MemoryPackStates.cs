using System;
using MemoryPack;

namespace ParallelGen.Serialization;

/// <summary>Creates MemoryPack readers and writers with the options every ParallelGen payload uses.</summary>
internal static class MemoryPackStates
{
    /// <summary>UTF-8 strings: smaller on the wire; readers accept either encoding.</summary>
    public static readonly MemoryPackSerializerOptions Options = MemoryPackSerializerOptions.Default;

    /// <summary>
    /// Every decode of bytes from another process rents its reader state here, so this runs before the first one:
    /// strings (alone, in arrays, collections, tuples) decode through <see cref="SafeStringFormatter"/>, never through
    /// MemoryPack's unchecked reader. The registration is process-wide.
    /// </summary>
    static MemoryPackStates() => MemoryPackFormatterProvider.Register(SafeStringFormatter.Instance);

    public static MemoryPackWriterOptionalState RentWriterState() => MemoryPackWriterOptionalStatePool.Rent(Options);

    public static MemoryPackReaderOptionalState RentReaderState() => MemoryPackReaderOptionalStatePool.Rent(Options);

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

using MemoryPack;

namespace ParallelGen.Serialization;

/// <summary>Creates MemoryPack readers and writers with the options every ParallelGen payload uses.</summary>
internal static class MemoryPackStates
{
    /// <summary>UTF-8 strings: smaller on the wire; readers accept either encoding.</summary>
    public static readonly MemoryPackSerializerOptions Options = MemoryPackSerializerOptions.Default;

    public static MemoryPackWriterOptionalState RentWriterState() => MemoryPackWriterOptionalStatePool.Rent(Options);

    public static MemoryPackReaderOptionalState RentReaderState() => MemoryPackReaderOptionalStatePool.Rent(Options);
}

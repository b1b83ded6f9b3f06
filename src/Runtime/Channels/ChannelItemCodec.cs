using System;
using MemoryPack;
using ParallelGen.Serialization;

namespace ParallelGen.Channels;

/// <summary>
/// Decodes one item a worker sent to a queue or progress object, with the same reader the call results use. A
/// reader over a formatter found at run time (not <c>MemoryPackSerializer.Deserialize</c>, whose trimming annotation
/// would have to spread to every <c>ProcessQueue&lt;T&gt;</c> user): under NativeAOT the formatter must already be
/// registered, as for any type in a <c>[ProcessParallel]</c> signature.
/// </summary>
internal static class ChannelItemCodec
{
    public static T Decode<T>(ReadOnlySpan<byte> item)
    {
        using MemoryPackReaderOptionalState state = MemoryPackStates.RentReaderState();
        var reader = new MemoryPackReader(item, state);
        try
        {
            return reader.ReadValue<T>()!;
        }
        finally
        {
            reader.Dispose();
        }
    }
}

using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace ParallelGen.Generator.Parsing;

/// <summary>
/// The types MemoryPack 1.21.4 formats out of the box: the one table that both the serializability check
/// (<see cref="Serializability"/>, PG0009) and the NativeAOT formatter registrations (<see cref="FormatterCollector"/>)
/// read, so a type can never be accepted without the registration it needs. Sources: MemoryPack's runtime provider
/// (<c>MemoryPackFormatterProvider</c>: its known, array-like, collection, immutable and interface tables and
/// <c>RegisterWellKnownTypesFormatters</c>) and its generator's <c>GetNonDefaultFormatterName</c> table.
/// <c>MemoryPackBuiltInsTests</c> checks every row against the MemoryPack.Core assembly the runtime ships with.
/// </summary>
/// <remarks>
/// Not listed because MemoryPack 1.21.4 has no formatter for it (its provider fails at run time with "is not registered
/// in this provider"): <c>ReadOnlyDictionary&lt;K,V&gt;</c> (pass <c>IReadOnlyDictionary&lt;K,V&gt;</c> or
/// <c>Dictionary&lt;K,V&gt;</c>).
/// </remarks>
internal static class MemoryPackBuiltIns
{
    /// <summary>
    /// Generic definitions (metadata names) → the <c>MemoryPack.Formatters</c> formatter that serializes them, taking the
    /// same type arguments. Their type arguments must be serializable too.
    /// </summary>
    public static IReadOnlyDictionary<string, string> GenericFormatters { get; } = new Dictionary<string, string>(System.StringComparer.Ordinal)
    {
        ["System.Nullable`1"] = "NullableFormatter",
        ["System.Lazy`1"] = "LazyFormatter",
        ["System.Collections.Generic.KeyValuePair`2"] = "KeyValuePairFormatter",
        ["System.Tuple`1"] = "TupleFormatter", ["System.Tuple`2"] = "TupleFormatter", ["System.Tuple`3"] = "TupleFormatter",
        ["System.Tuple`4"] = "TupleFormatter", ["System.Tuple`5"] = "TupleFormatter", ["System.Tuple`6"] = "TupleFormatter",
        ["System.Tuple`7"] = "TupleFormatter", ["System.Tuple`8"] = "TupleFormatter",
        ["System.ValueTuple`1"] = "ValueTupleFormatter", ["System.ValueTuple`2"] = "ValueTupleFormatter", ["System.ValueTuple`3"] = "ValueTupleFormatter",
        ["System.ValueTuple`4"] = "ValueTupleFormatter", ["System.ValueTuple`5"] = "ValueTupleFormatter", ["System.ValueTuple`6"] = "ValueTupleFormatter",
        ["System.ValueTuple`7"] = "ValueTupleFormatter", ["System.ValueTuple`8"] = "ValueTupleFormatter",

        // Array-like.
        ["System.ArraySegment`1"] = "ArraySegmentFormatter",
        ["System.Memory`1"] = "MemoryFormatter",
        ["System.ReadOnlyMemory`1"] = "ReadOnlyMemoryFormatter",
        ["System.Buffers.ReadOnlySequence`1"] = "ReadOnlySequenceFormatter",

        // Collections.
        ["System.Collections.Generic.List`1"] = "ListFormatter",
        ["System.Collections.Generic.Stack`1"] = "StackFormatter",
        ["System.Collections.Generic.Queue`1"] = "QueueFormatter",
        ["System.Collections.Generic.LinkedList`1"] = "LinkedListFormatter",
        ["System.Collections.Generic.HashSet`1"] = "HashSetFormatter",
        ["System.Collections.Generic.SortedSet`1"] = "SortedSetFormatter",
        ["System.Collections.Generic.PriorityQueue`2"] = "PriorityQueueFormatter",
        ["System.Collections.Generic.Dictionary`2"] = "DictionaryFormatter",
        ["System.Collections.Generic.SortedDictionary`2"] = "SortedDictionaryFormatter",
        ["System.Collections.Generic.SortedList`2"] = "SortedListFormatter",
        ["System.Collections.ObjectModel.Collection`1"] = "CollectionFormatter",
        ["System.Collections.ObjectModel.ObservableCollection`1"] = "ObservableCollectionFormatter",
        ["System.Collections.ObjectModel.ReadOnlyCollection`1"] = "ReadOnlyCollectionFormatter",
        ["System.Collections.ObjectModel.ReadOnlyObservableCollection`1"] = "ReadOnlyObservableCollectionFormatter",
        ["System.Collections.Concurrent.ConcurrentQueue`1"] = "ConcurrentQueueFormatter",
        ["System.Collections.Concurrent.ConcurrentStack`1"] = "ConcurrentStackFormatter",
        ["System.Collections.Concurrent.ConcurrentBag`1"] = "ConcurrentBagFormatter",
        ["System.Collections.Concurrent.ConcurrentDictionary`2"] = "ConcurrentDictionaryFormatter",
        ["System.Collections.Concurrent.BlockingCollection`1"] = "BlockingCollectionFormatter",
        ["System.Collections.Frozen.FrozenDictionary`2"] = "FrozenDictionaryFormatter",
        ["System.Collections.Frozen.FrozenSet`1"] = "FrozenSetFormatter",

        // Immutable collections and their interfaces.
        ["System.Collections.Immutable.ImmutableArray`1"] = "ImmutableArrayFormatter",
        ["System.Collections.Immutable.ImmutableList`1"] = "ImmutableListFormatter",
        ["System.Collections.Immutable.ImmutableQueue`1"] = "ImmutableQueueFormatter",
        ["System.Collections.Immutable.ImmutableStack`1"] = "ImmutableStackFormatter",
        ["System.Collections.Immutable.ImmutableHashSet`1"] = "ImmutableHashSetFormatter",
        ["System.Collections.Immutable.ImmutableSortedSet`1"] = "ImmutableSortedSetFormatter",
        ["System.Collections.Immutable.ImmutableDictionary`2"] = "ImmutableDictionaryFormatter",
        ["System.Collections.Immutable.ImmutableSortedDictionary`2"] = "ImmutableSortedDictionaryFormatter",
        ["System.Collections.Immutable.IImmutableList`1"] = "InterfaceImmutableListFormatter",
        ["System.Collections.Immutable.IImmutableQueue`1"] = "InterfaceImmutableQueueFormatter",
        ["System.Collections.Immutable.IImmutableStack`1"] = "InterfaceImmutableStackFormatter",
        ["System.Collections.Immutable.IImmutableSet`1"] = "InterfaceImmutableSetFormatter",
        ["System.Collections.Immutable.IImmutableDictionary`2"] = "InterfaceImmutableDictionaryFormatter",

        // Collection interfaces.
        ["System.Collections.Generic.IEnumerable`1"] = "InterfaceEnumerableFormatter",
        ["System.Collections.Generic.ICollection`1"] = "InterfaceCollectionFormatter",
        ["System.Collections.Generic.IReadOnlyCollection`1"] = "InterfaceReadOnlyCollectionFormatter",
        ["System.Collections.Generic.IList`1"] = "InterfaceListFormatter",
        ["System.Collections.Generic.IReadOnlyList`1"] = "InterfaceReadOnlyListFormatter",
        ["System.Collections.Generic.IDictionary`2"] = "InterfaceDictionaryFormatter",
        ["System.Collections.Generic.IReadOnlyDictionary`2"] = "InterfaceReadOnlyDictionaryFormatter",
        ["System.Collections.Generic.ISet`1"] = "InterfaceSetFormatter",
        ["System.Collections.Generic.IReadOnlySet`1"] = "InterfaceReadOnlySetFormatter",
        ["System.Linq.ILookup`2"] = "InterfaceLookupFormatter",
        ["System.Linq.IGrouping`2"] = "InterfaceGroupingFormatter",
    };

    /// <summary>
    /// Non-generic types that are not unmanaged structs (those are always serializable) and whose formatter MemoryPack
    /// registers when it loads.
    /// </summary>
    private static readonly HashSet<string> s_managedTypes = new(System.StringComparer.Ordinal)
    {
        "System.Numerics.BigInteger", "System.TimeZoneInfo", "System.Uri", "System.Version", "System.Text.StringBuilder",
        "System.Type", "System.Collections.BitArray", "System.Globalization.CultureInfo",
    };

    /// <summary>
    /// Unmanaged types besides the primitives whose formatter and array formatter MemoryPack registers when it loads
    /// (<c>RegisterWellKnownTypesFormatters</c>); any other unmanaged struct, and its array, needs a registration under NativeAOT.
    /// </summary>
    private static readonly HashSet<string> s_unmanagedTypes = new(System.StringComparer.Ordinal)
    {
        "System.DateTime", "System.DateTimeOffset", "System.TimeSpan", "System.Guid", "System.Text.Rune", "System.DateOnly",
        "System.TimeOnly", "System.Half", "System.Int128", "System.UInt128", "System.Numerics.Complex", "System.Numerics.Plane",
        "System.Numerics.Quaternion", "System.Numerics.Matrix3x2", "System.Numerics.Matrix4x4", "System.Numerics.Vector2",
        "System.Numerics.Vector3", "System.Numerics.Vector4",
    };

    /// <inheritdoc cref="s_managedTypes"/>
    public static IReadOnlyCollection<string> ManagedTypes => s_managedTypes;

    /// <inheritdoc cref="s_unmanagedTypes"/>
    public static IReadOnlyCollection<string> UnmanagedTypes => s_unmanagedTypes;

    /// <summary>The formatter (without <c>global::MemoryPack.Formatters.</c> and type arguments) for a constructed generic type MemoryPack knows.</summary>
    public static bool TryGetGenericFormatter(INamedTypeSymbol type, out string formatter)
    {
        formatter = string.Empty;
        return type.IsGenericType
            && GenericFormatters.TryGetValue(type.OriginalDefinition.GetFullMetadataName(), out formatter!);
    }

    /// <summary>A non-generic, non-unmanaged type MemoryPack formats (<c>Uri</c>, <c>Version</c>, <c>BigInteger</c>, …).</summary>
    public static bool IsManagedBuiltIn(INamedTypeSymbol type) =>
        !type.IsGenericType && s_managedTypes.Contains(type.GetFullMetadataName());

    /// <summary>An unmanaged type (a primitive or one of <see cref="UnmanagedTypes"/>) whose formatter and array formatter MemoryPack registers itself.</summary>
    public static bool IsRegisteredUnmanaged(ITypeSymbol type) =>
        (type.IsUnmanagedType && type.SpecialType is >= SpecialType.System_Boolean and <= SpecialType.System_UIntPtr)
        || (type is INamedTypeSymbol { IsGenericType: false } && s_unmanagedTypes.Contains(type.GetFullMetadataName()));
}

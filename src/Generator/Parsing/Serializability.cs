using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ParallelGen.Generator.Parsing;

/// <summary>
/// Decides at compile time whether MemoryPack 1.21 can serialize a type, mirroring the order of checks in
/// MemoryPack's own generator (<c>ParseMemberKind</c>) and the formatters its runtime provider knows.
/// Only the <c>[MemoryPackable]</c> attribute counts for user types: the <c>IMemoryPackable&lt;T&gt;</c> interface that
/// MemoryPack's generator adds is invisible to us when the type is in the same compilation.
/// </summary>
internal static class Serializability
{
    /// <summary>Generic definitions MemoryPack formats out of the box; their type arguments are checked recursively.</summary>
    private static readonly HashSet<string> s_knownGenericDefinitions =
    [
        "System.Nullable`1", "System.Lazy`1", "System.Memory`1", "System.ReadOnlyMemory`1", "System.ArraySegment`1",
        "System.Buffers.ReadOnlySequence`1",
        "System.Tuple`1", "System.Tuple`2", "System.Tuple`3", "System.Tuple`4", "System.Tuple`5", "System.Tuple`6", "System.Tuple`7", "System.Tuple`8",
        "System.ValueTuple`1", "System.ValueTuple`2", "System.ValueTuple`3", "System.ValueTuple`4", "System.ValueTuple`5", "System.ValueTuple`6", "System.ValueTuple`7", "System.ValueTuple`8",
        "System.Collections.Generic.KeyValuePair`2",
        "System.Collections.Generic.List`1", "System.Collections.Generic.LinkedList`1", "System.Collections.Generic.Queue`1",
        "System.Collections.Generic.Stack`1", "System.Collections.Generic.HashSet`1", "System.Collections.Generic.SortedSet`1",
        "System.Collections.Generic.PriorityQueue`2", "System.Collections.Generic.Dictionary`2", "System.Collections.Generic.SortedList`2",
        "System.Collections.Generic.SortedDictionary`2",
        "System.Collections.Generic.IEnumerable`1", "System.Collections.Generic.ICollection`1", "System.Collections.Generic.IList`1",
        "System.Collections.Generic.IReadOnlyCollection`1", "System.Collections.Generic.IReadOnlyList`1", "System.Collections.Generic.ISet`1",
        "System.Collections.Generic.IReadOnlySet`1", "System.Collections.Generic.IDictionary`2", "System.Collections.Generic.IReadOnlyDictionary`2",
        "System.Linq.ILookup`2", "System.Linq.IGrouping`2",
        "System.Collections.ObjectModel.Collection`1", "System.Collections.ObjectModel.ReadOnlyCollection`1",
        "System.Collections.ObjectModel.ObservableCollection`1", "System.Collections.ObjectModel.ReadOnlyObservableCollection`1",
        "System.Collections.ObjectModel.ReadOnlyDictionary`2",
        "System.Collections.Concurrent.ConcurrentBag`1", "System.Collections.Concurrent.ConcurrentQueue`1",
        "System.Collections.Concurrent.ConcurrentStack`1", "System.Collections.Concurrent.ConcurrentDictionary`2",
        "System.Collections.Concurrent.BlockingCollection`1",
        "System.Collections.Immutable.ImmutableArray`1", "System.Collections.Immutable.ImmutableList`1",
        "System.Collections.Immutable.ImmutableQueue`1", "System.Collections.Immutable.ImmutableStack`1",
        "System.Collections.Immutable.ImmutableHashSet`1", "System.Collections.Immutable.ImmutableSortedSet`1",
        "System.Collections.Immutable.ImmutableDictionary`2", "System.Collections.Immutable.ImmutableSortedDictionary`2",
        "System.Collections.Immutable.IImmutableList`1", "System.Collections.Immutable.IImmutableQueue`1",
        "System.Collections.Immutable.IImmutableStack`1", "System.Collections.Immutable.IImmutableSet`1",
        "System.Collections.Immutable.IImmutableDictionary`2",
    ];

    /// <summary>Non-generic types MemoryPack formats out of the box (those that are not already unmanaged structs).</summary>
    private static readonly HashSet<string> s_knownTypes =
    [
        "System.Decimal", "System.Half", "System.Int128", "System.UInt128", "System.Guid", "System.Text.Rune",
        "System.Numerics.BigInteger", "System.Numerics.Complex", "System.TimeSpan", "System.DateTime", "System.DateTimeOffset",
        "System.TimeOnly", "System.DateOnly", "System.TimeZoneInfo", "System.Uri", "System.Version", "System.Text.StringBuilder",
        "System.Type", "System.Collections.BitArray", "System.Globalization.CultureInfo",
    ];

    /// <summary>
    /// Returns the innermost type that makes <paramref name="type"/> unserializable (itself, an element or a type
    /// argument), or null when MemoryPack can serialize it. Error types count as serializable: the compiler already
    /// reports them.
    /// </summary>
    public static ITypeSymbol? FindUnserializable(ITypeSymbol type)
    {
        switch (type)
        {
            case { TypeKind: TypeKind.Error }:
            case ITypeParameterSymbol:
                return null;
            case { SpecialType: SpecialType.System_Object or SpecialType.System_Array or SpecialType.System_Delegate or SpecialType.System_MulticastDelegate }:
            case { TypeKind: TypeKind.Dynamic or TypeKind.Delegate or TypeKind.Pointer or TypeKind.FunctionPointer }:
            case { IsRefLikeType: true }:
                return type;
            case { TypeKind: TypeKind.Enum }:
            case { SpecialType: SpecialType.System_String }:
                return null;
            case IArrayTypeSymbol array:
                return array.Rank <= 4 ? FindUnserializable(array.ElementType) : type;
            case INamedTypeSymbol named:
                return FindUnserializable(named);
            default:
                return type;
        }
    }

    /// <summary>
    /// True for <c>ProcessQueue&lt;T&gt;</c>, <c>IProgress&lt;T&gt;</c> and the shared-state types (<c>ProcessPipe&lt;T&gt;</c>,
    /// <c>ProcessDictionary&lt;K, V&gt;</c>, <c>ProcessLock</c>, <c>SharedArray&lt;T&gt;</c>, ...): the caller's object travels as
    /// a reference through formatters the runtime registers, and the worker gets a proxy or a mapping of it.
    /// </summary>
    public static bool IsChannel(ITypeSymbol type) =>
        type is INamedTypeSymbol named && s_channelDefinitions.Contains(named.OriginalDefinition.GetFullMetadataName());

    private static readonly HashSet<string> s_channelDefinitions =
        [WellKnownNames.ProcessQueue, WellKnownNames.Progress, .. WellKnownNames.SharedState];

    /// <summary>
    /// The first channel type that <paramref name="type"/> uses where none may stand: anywhere inside it (an element, a
    /// type argument, a containing type's type argument), and also <paramref name="type"/> itself unless
    /// <paramref name="isParameterType"/> (a channel is only meaningful as a parameter's own type). Null when none.
    /// </summary>
    public static INamedTypeSymbol? FindMisplacedChannel(ITypeSymbol type, bool isParameterType) =>
        isParameterType && IsChannel(type) && type is INamedTypeSymbol channel
            ? FindChannelInTypeArguments(channel)
            : FindChannel(type);

    private static INamedTypeSymbol? FindChannel(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => FindChannel(array.ElementType),
        INamedTypeSymbol named when IsChannel(named) => named,
        INamedTypeSymbol named => FindChannelInTypeArguments(named),
        _ => null,
    };

    private static INamedTypeSymbol? FindChannelInTypeArguments(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            foreach (ITypeSymbol argument in current.TypeArguments)
            {
                if (FindChannel(argument) is { } channel)
                {
                    return channel;
                }
            }
        }

        return null;
    }

    private static ITypeSymbol? FindUnserializable(INamedTypeSymbol type)
    {
        if (IsChannel(type))
        {
            // The runtime formats the channel itself; its items must be serializable. Where a channel may stand is
            // a separate rule (FindMisplacedChannel), checked first.
            return FindInTypeArguments(type);
        }

        if (type.IsTupleType)
        {
            return type.TupleElements.Select(e => FindUnserializable(e.Type)).FirstOrDefault(t => t is not null);
        }

        bool packable = type.HasAttribute(WellKnownNames.MemoryPackableAttribute)
            || type.AllInterfaces.Any(i => i.Is(WellKnownNames.MemoryPackableInterface))
            || ((type.IsAbstract || type.TypeKind == TypeKind.Interface) && type.HasAttribute(WellKnownNames.MemoryPackUnionAttribute));
        if (packable || type.IsUnmanagedType || s_knownTypes.Contains(type.GetFullMetadataName()))
        {
            // A generic [MemoryPackable] type, or an unmanaged generic struct, still formats its type arguments.
            return FindInTypeArguments(type);
        }

        if (type.IsGenericType && s_knownGenericDefinitions.Contains(type.OriginalDefinition.GetFullMetadataName()))
        {
            return FindInTypeArguments(type);
        }

        return type;
    }

    private static ITypeSymbol? FindInTypeArguments(INamedTypeSymbol type) =>
        type.TypeArguments.Select(FindUnserializable).FirstOrDefault(t => t is not null);
}

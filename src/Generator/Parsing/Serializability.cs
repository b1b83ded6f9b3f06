using System.Linq;
using Microsoft.CodeAnalysis;

namespace ParallelGen.Generator.Parsing;

/// <summary>
/// Decides at compile time whether MemoryPack 1.21 can serialize a type, mirroring the order of checks in
/// MemoryPack's own generator (<c>ParseMemberKind</c>) and the formatters its runtime provider knows
/// (<see cref="MemoryPackBuiltIns"/>). Only the <c>[MemoryPackable]</c> attribute counts for user types: the
/// <c>IMemoryPackable&lt;T&gt;</c> interface that MemoryPack's generator adds is invisible to us when the type is in the
/// same compilation.
/// </summary>
internal static class Serializability
{
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

    private static ITypeSymbol? FindUnserializable(INamedTypeSymbol type)
    {
        if (ChannelTypes.IsChannel(type))
        {
            // The runtime formats the channel itself; its items must be serializable. Where a channel may stand is
            // a separate rule (ChannelTypes.FindMisplaced), checked first.
            return FindInTypeArguments(type);
        }

        if (type.IsTupleType)
        {
            return type.TupleElements.Select(e => FindUnserializable(e.Type)).FirstOrDefault(t => t is not null);
        }

        if (FindNonPartialMemoryPackable(type) is not null)
        {
            return type;
        }

        bool packable = type.HasAttribute(WellKnownNames.MemoryPackableAttribute)
            || type.AllInterfaces.Any(i => i.Is(WellKnownNames.MemoryPackableInterface))
            || ((type.IsAbstract || type.TypeKind == TypeKind.Interface) && type.HasAttribute(WellKnownNames.MemoryPackUnionAttribute));
        if (packable || type.IsUnmanagedType || MemoryPackBuiltIns.IsManagedBuiltIn(type) || MemoryPackBuiltIns.TryGetGenericFormatter(type, out _))
        {
            // Known generic types, generic [MemoryPackable] types and unmanaged generic structs all format their type arguments.
            return FindInTypeArguments(type);
        }

        return type;
    }

    /// <summary>
    /// For a <c>[MemoryPackable]</c> type declared in this compilation: the type itself, or the first type containing it,
    /// that is not declared <c>partial</c>. MemoryPack's generator cannot add its serializer to such a type (it reports
    /// MEMPACK001 or MEMPACK042), so the type is not serializable, and code that names its formatter would not compile.
    /// Null when there is none, or for types from referenced assemblies (they were compiled with their serializer).
    /// </summary>
    public static INamedTypeSymbol? FindNonPartialMemoryPackable(INamedTypeSymbol type)
    {
        if (type.DeclaringSyntaxReferences.Length == 0 || !type.HasAttribute(WellKnownNames.MemoryPackableAttribute))
        {
            return null;
        }

        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (!current.IsDeclaredPartial())
            {
                return current;
            }
        }

        return null;
    }

    private static ITypeSymbol? FindInTypeArguments(INamedTypeSymbol type) =>
        type.TypeArguments.Select(FindUnserializable).FirstOrDefault(t => t is not null);
}

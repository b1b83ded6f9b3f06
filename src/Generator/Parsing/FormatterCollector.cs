using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using ParallelGen.Generator.Model;

namespace ParallelGen.Generator.Parsing;

/// <summary>
/// The MemoryPack formatters a method's parameter and result types need under NativeAOT, where MemoryPack cannot build
/// formatters for closed generic types by reflection (Cysharp/MemoryPack#432). Mirrors MemoryPack's generator
/// (<c>WellKnownTypes.GetNonDefaultFormatterName</c>) through the table shared with the serializability check
/// (<see cref="MemoryPackBuiltIns"/>), and recurses into elements and type arguments. Also covers what
/// <c>MemoryPackFormatterProvider.CreateGenericFormatter</c> would otherwise build by <c>MakeGenericType</c>: unmanaged
/// structs and arrays of user types (MemoryPack registers only its built-in unmanaged types and their arrays), and
/// <c>[MemoryPackUnion]</c> interfaces, whose formatter is registered by their generated <c>RegisterFormatter</c>.
/// </summary>
internal static class FormatterCollector
{
    private const string Formatters = "global::MemoryPack.Formatters.";

    /// <summary><c>MemoryPack.GenerateType.NoGenerate</c>: the attribute's type gets no generated formatter.</summary>
    private const int NoGenerate = 4;

    private static readonly SymbolDisplayFormat s_typeFormat = SymbolDisplayFormat.FullyQualifiedFormat;

    private static readonly SymbolDisplayFormat s_definitionFormat =
        SymbolDisplayFormat.FullyQualifiedFormat.WithGenericsOptions(SymbolDisplayGenericsOptions.None);

    /// <summary>The registrations <paramref name="types"/> need, deduplicated and ordered by type (ordinal).</summary>
    public static EquatableArray<FormatterRegistration> Collect(IEnumerable<ITypeSymbol> types)
    {
        var found = new Dictionary<string, FormatterRegistration>(System.StringComparer.Ordinal);
        foreach (ITypeSymbol type in types)
        {
            Visit(type, found);
        }

        return found.Values.OrderBy(r => r.Type, System.StringComparer.Ordinal).ToEquatableArray();
    }

    private static void Visit(ITypeSymbol type, Dictionary<string, FormatterRegistration> found)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                string? arrayFormatter = array.Rank switch
                {
                    // MemoryPack registers arrays of its built-in unmanaged types itself. Any other T[] (unmanaged user
                    // structs and enums too: T[] is a reference, so MemoryPack's provider never takes its unmanaged-array
                    // branch) gets ArrayFormatter<T> by MakeGenericType, which NativeAOT cannot build. ArrayFormatter<T>
                    // still copies unmanaged elements as one block, so the bytes are the same either way.
                    1 when array.IsSZArray => MemoryPackBuiltIns.IsRegisteredUnmanaged(array.ElementType) ? null : "ArrayFormatter",
                    2 => "TwoDimensionalArrayFormatter",
                    3 => "ThreeDimensionalArrayFormatter",
                    4 => "FourDimensionalArrayFormatter",
                    _ => null,
                };
                if (arrayFormatter is not null)
                {
                    Add(found, array, $"{Formatters}{arrayFormatter}<{Display(array.ElementType)}>");
                }

                Visit(array.ElementType, found);
                return;

            case INamedTypeSymbol { TypeKind: not TypeKind.Error } named:
                VisitNamed(named, found);
                return;

            default:
                return; // type parameters, error types: nothing a valid method can hold
        }
    }

    private static void VisitNamed(INamedTypeSymbol type, Dictionary<string, FormatterRegistration> found)
    {
        if (ChannelTypes.IsChannel(type))
        {
            // The runtime registers the channel's formatter for the open generic type; its items still need theirs.
            VisitTypeArguments(type, found);
            return;
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            Add(found, type, $"{Formatters}UnmanagedFormatter<{Display(type)}>");
            return;
        }

        if (IsMemoryPackable(type))
        {
            // Runs the type's generated RegisterFormatter (MemoryPack's generator adds IMemoryPackFormatterRegister).
            // A [MemoryPackUnion] interface gets an implementation of RegisterFormatter from MemoryPack's generator, so it
            // can be the type argument; any other interface could not (CS8920) and MemoryPack rejects it anyway.
            if (type.TypeKind != TypeKind.Interface || type.HasAttribute(WellKnownNames.MemoryPackUnionAttribute))
            {
                Add(found, type, formatter: null);
            }

            VisitTypeArguments(type, found);
            return;
        }

        if (MemoryPackBuiltIns.TryGetGenericFormatter(type, out string formatter))
        {
            Add(found, type, $"{Formatters}{formatter}<{string.Join(", ", type.TypeArguments.Select(Display))}>");
        }
        else if (type.TypeKind == TypeKind.Struct && type.IsUnmanagedType && !MemoryPackBuiltIns.IsRegisteredUnmanaged(type))
        {
            // An unmanaged struct MemoryPack does not register itself: its provider would build
            // DangerousUnmanagedFormatter<T> by MakeGenericType. UnmanagedFormatter<T> writes the same raw bytes.
            Add(found, type, $"{Formatters}UnmanagedFormatter<{Display(type)}>");
        }

        VisitTypeArguments(type, found);
    }

    private static void VisitTypeArguments(INamedTypeSymbol type, Dictionary<string, FormatterRegistration> found)
    {
        foreach (ITypeSymbol argument in type.TypeArguments)
        {
            Visit(argument, found);
        }
    }

    /// <summary>
    /// True for a type MemoryPack's generator made <c>IMemoryPackFormatterRegister</c>: <c>[MemoryPackable]</c> other than
    /// <c>GenerateType.NoGenerate</c> (whose formatter the user registers by hand), or an <c>IMemoryPackable&lt;T&gt;</c>
    /// from a referenced assembly.
    /// </summary>
    private static bool IsMemoryPackable(INamedTypeSymbol type) =>
        type.GetAttributes().Any(a =>
            a.AttributeClass is { } c
            && c.GetFullMetadataName() == WellKnownNames.MemoryPackableAttribute
            && !(a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value is int kind && kind == NoGenerate))
        || type.AllInterfaces.Any(i => i.Is(WellKnownNames.MemoryPackableInterface));

    private static void Add(Dictionary<string, FormatterRegistration> found, ITypeSymbol type, string? formatter)
    {
        string display = Display(type);
        if (!found.ContainsKey(display))
        {
            found.Add(display, new FormatterRegistration(display, formatter));
        }
    }

    /// <summary>
    /// The type as generated code names it, without nullable reference annotations or tuple element names: both
    /// leave the CLR type unchanged, so <c>List&lt;string?&gt;</c> and <c>List&lt;string&gt;</c> share one registration.
    /// </summary>
    private static string Display(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return Display(array.ElementType) + "[" + new string(',', array.Rank - 1) + "]";
            case INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable:
                return Display(nullable.TypeArguments[0]) + "?";
            case INamedTypeSymbol { IsTupleType: true, TupleElements.Length: >= 2 } tuple:
                return "(" + string.Join(", ", tuple.TupleElements.Select(e => Display(e.Type))) + ")";
            case INamedTypeSymbol { IsGenericType: true } named when named.ContainingType is not { IsGenericType: true }:
                return named.OriginalDefinition.ToDisplayString(s_definitionFormat) + "<" + string.Join(", ", named.TypeArguments.Select(Display)) + ">";
            default:
                return type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(s_typeFormat);
        }
    }
}

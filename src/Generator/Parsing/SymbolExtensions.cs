using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ParallelGen.Generator.Parsing;

internal static class SymbolExtensions
{
    /// <summary>The metadata name with namespace, nested types joined by <c>+</c>: <c>System.Collections.Generic.List`1</c>.</summary>
    public static string GetFullMetadataName(this ITypeSymbol type)
    {
        var builder = new StringBuilder(type.MetadataName);
        ISymbol? current = type.ContainingType;
        while (current is INamedTypeSymbol containing)
        {
            builder.Insert(0, containing.MetadataName + "+");
            current = containing.ContainingType;
        }

        INamespaceSymbol? ns = type.ContainingNamespace;
        if (ns is { IsGlobalNamespace: false })
        {
            builder.Insert(0, ns.ToDisplayString() + ".");
        }

        return builder.ToString();
    }

    /// <summary>True when <paramref name="type"/>'s definition has the given metadata name.</summary>
    public static bool Is(this ITypeSymbol type, string fullMetadataName) =>
        type is INamedTypeSymbol named && named.OriginalDefinition.GetFullMetadataName() == fullMetadataName;

    public static bool HasAttribute(this ISymbol symbol, string attributeMetadataName) =>
        symbol.GetAttributes().Any(a => a.AttributeClass is { } c && c.GetFullMetadataName() == attributeMetadataName);

    public static bool HasProcessParallelAttribute(this ISymbol symbol) => symbol.HasAttribute(WellKnownNames.ProcessParallelAttribute);

    /// <summary>True when a declaration of <paramref name="type"/> has the <c>partial</c> modifier, or the type comes from metadata.</summary>
    public static bool IsDeclaredPartial(this INamedTypeSymbol type, CancellationToken cancellationToken = default) =>
        type.DeclaringSyntaxReferences.Length == 0
        || type.DeclaringSyntaxReferences.Any(r =>
            r.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));
}

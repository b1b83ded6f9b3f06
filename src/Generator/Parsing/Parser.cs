using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using ParallelGen.Generator.Model;

namespace ParallelGen.Generator.Parsing;

/// <summary>
/// Symbols → model. The only place that reasons about Roslyn symbols: everything the emitters print is decided here
/// and carried as strings, so nothing of the compilation outlives the transform.
/// </summary>
internal static class Parser
{
    /// <summary><c>global::</c>-qualified, keyword-escaped, with nullable annotations: how generated code names types.</summary>
    private static readonly SymbolDisplayFormat s_codeFormat =
        SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>
    /// The signature's type format: namespace-qualified without <c>global::</c>, C# keywords, no nullable reference
    /// annotations (they do not change the wire format, so adding one must not change the method id).
    /// </summary>
    private static readonly SymbolDisplayFormat s_signatureFormat = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    /// <summary>Names a tuple element may not take (CS8126, CS8125); any of them makes the argument tuple unnamed.</summary>
    private static readonly HashSet<string> s_reservedTupleNames =
        ["CompareTo", "Deconstruct", "Equals", "GetHashCode", "GetType", "Rest", "ToString"];

    private static readonly Regex s_itemName = new("^Item[0-9]+$", RegexOptions.CultureInvariant);

    /// <summary>The model of a valid method, or null when a rule rejects it (the analyzer reports why).</summary>
    public static ParallelMethodModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol method || !MethodValidator.IsValid(method, cancellationToken))
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        string assemblyName = context.SemanticModel.Compilation.AssemblyName ?? string.Empty;
        return CreateModel(method, assemblyName, cancellationToken);
    }

    private static ParallelMethodModel CreateModel(IMethodSymbol method, string assemblyName, CancellationToken cancellationToken)
    {
        bool passesToken = method.Parameters.Length > 0 && MethodValidator.IsCancellationToken(method.Parameters[method.Parameters.Length - 1].Type);
        var transportedParameters = method.Parameters.Take(method.Parameters.Length - (passesToken ? 1 : 0)).ToList();
        var parameters = transportedParameters
            .Select(p => new ParameterModel(Identifiers.Escape(p.Name), p.Type.ToDisplayString(s_codeFormat), IsNullable(p.Type)))
            .ToEquatableArray();

        ReturnKind returnKind = GetReturnKind(method);
        ITypeSymbol? result = returnKind is ReturnKind.Void or ReturnKind.Task or ReturnKind.ValueTask
            ? null
            : MethodValidator.UnwrapTask(method.ReturnType);
        string? resultType = result?.ToDisplayString(s_codeFormat);

        // Each argument is written on its own, so each parameter type needs a formatter; the argument tuple does not.
        var transported = transportedParameters.Select(p => p.Type);
        var formatters = FormatterCollector.Collect(result is null ? transported : transported.Concat(new[] { result }));

        string signature = GetSignature(method);
        return new ParallelMethodModel(
            ContainingType: CreateContainingType(method.ContainingType),
            Name: method.Name,
            Identifier: Identifiers.Escape(method.Name),
            FieldAccessibility: method.DeclaredAccessibility == Accessibility.Public ? "public" : "internal",
            SummaryLines: GetSummaryLines(method, cancellationToken),
            Signature: signature,
            Id: StableHash.MethodId(assemblyName, signature),
            Parameters: parameters,
            TupleHasNames: transportedParameters.All(p => !s_reservedTupleNames.Contains(p.Name) && !s_itemName.IsMatch(p.Name)),
            PassesCancellationToken: passesToken,
            ReturnKind: returnKind,
            ResultType: resultType,
            Formatters: formatters);
    }

    /// <summary><c>App.Jobs.Square(int) -&gt; int</c>: the token parameter included, the result as declared.</summary>
    public static string GetSignature(IMethodSymbol method)
    {
        string parameters = string.Join(", ", method.Parameters.Select(p => p.Type.ToDisplayString(s_signatureFormat)));
        return $"{method.ContainingType.ToDisplayString(s_signatureFormat)}.{method.Name}({parameters}) -> {method.ReturnType.ToDisplayString(s_signatureFormat)}";
    }

    private static ContainingTypeModel CreateContainingType(INamedTypeSymbol type)
    {
        var hierarchy = new List<TypeDeclarationModel>();
        var names = new List<string>();
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            hierarchy.Insert(0, new TypeDeclarationModel(GetKeyword(current), Identifiers.Escape(current.Name)));
            names.Insert(0, current.Name);
        }

        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } containing ? containing.ToDisplayString() : string.Empty;
        string typePath = string.Join(".", names);
        return new ContainingTypeModel(
            FullyQualifiedName: type.ToDisplayString(s_codeFormat),
            Namespace: ns,
            Hierarchy: hierarchy.ToEquatableArray(),
            HintNameStem: ns.Length == 0 ? typePath : ns + "." + typePath,
            RemoteNeedsNew: BaseTypeHasRemote(type));
    }

    private static string GetKeyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct, IsRefLikeType: true } => "ref struct",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Interface } => "interface",
        _ => "class",
    };

    /// <summary>
    /// True when a base type already has a <c>Remote</c> member our class would hide (CS0108): a member of a referenced
    /// assembly, or the <c>Remote</c> class this generator will add to a base type of the same compilation.
    /// </summary>
    private static bool BaseTypeHasRemote(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (baseType.GetMembers(WellKnownNames.RemoteClassName).Any(m => m.DeclaredAccessibility != Accessibility.Private))
            {
                return true;
            }

            if (baseType.DeclaringSyntaxReferences.Length > 0
                && baseType.GetMembers().Any(m => m is IMethodSymbol { IsStatic: true } && m.HasProcessParallelAttribute()))
            {
                return true;
            }
        }

        return false;
    }

    private static ReturnKind GetReturnKind(IMethodSymbol method) => method.ReturnType switch
    {
        _ when method.ReturnsVoid => ReturnKind.Void,
        var t when t.Is(WellKnownNames.Task) => ReturnKind.Task,
        var t when t.Is(WellKnownNames.TaskOfT) => ReturnKind.TaskOfT,
        var t when t.Is(WellKnownNames.ValueTask) => ReturnKind.ValueTask,
        var t when t.Is(WellKnownNames.ValueTaskOfT) => ReturnKind.ValueTaskOfT,
        _ => ReturnKind.Value,
    };

    private static bool IsNullable(ITypeSymbol type) =>
        type.NullableAnnotation == NullableAnnotation.Annotated
        || type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;

    /// <summary>
    /// The method's own <c>&lt;summary&gt;</c>, or a default one pointing at the method. Crefs use documentation ids
    /// (<c>M:App.Jobs.Square(System.Int32)</c>), which the compiler takes as they are, so overloads never make them ambiguous.
    /// </summary>
    private static EquatableArray<string> GetSummaryLines(IMethodSymbol method, CancellationToken cancellationToken)
    {
        string? own = GetOwnSummary(method, cancellationToken);
        if (own is not null)
        {
            return own.Split('\n').Select(l => l.Trim()).ToEquatableArray();
        }

        string id = method.GetDocumentationCommentId() ?? method.Name;
        return new[] { $"Runs <see cref=\"{id}\"/> in a worker process; pass this handle to a <c>ProcessPool</c>." }.ToEquatableArray();
    }

    private static string? GetOwnSummary(IMethodSymbol method, CancellationToken cancellationToken)
    {
        string? xml = method.GetDocumentationCommentXml(cancellationToken: cancellationToken);
        if (string.IsNullOrWhiteSpace(xml))
        {
            return null;
        }

        XElement? summary;
        try
        {
            summary = XElement.Parse(xml).Element("summary");
        }
        catch (System.Xml.XmlException)
        {
            return null; // Malformed docs already warn (CS1570); fall back to the default summary.
        }

        if (summary is null)
        {
            return null;
        }

        // The handle is a field: <paramref>/<typeparamref> would point at nothing there (CS1734), so keep their text only.
        foreach (XElement reference in summary.Descendants().Where(e => e.Name.LocalName is "paramref" or "typeparamref").ToList())
        {
            reference.ReplaceWith(new XElement("c", (string?)reference.Attribute("name") ?? string.Empty));
        }

        string text = string.Concat(summary.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting))).Replace("\r\n", "\n").Trim();
        return text.Length == 0 ? null : text;
    }
}

using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ParallelGen.Generator.Diagnostics;

namespace ParallelGen.Generator.Parsing;

/// <summary>
/// The rules a <c>[ProcessParallel]</c> method must satisfy. Shared by the analyzer, which reports every violation,
/// and the generator, which skips any method that has one, so it never emits code for a rejected method.
/// </summary>
internal static class MethodValidator
{
    /// <summary>
    /// The most parameters a method may take (not counting a trailing <c>CancellationToken</c>). Arguments travel as one
    /// tuple; 16 matches the largest <c>Func</c>/<c>Action</c> arity and keeps call sites readable.
    /// </summary>
    public const int MaxParameters = 16;

    private static readonly SymbolDisplayFormat s_messageFormat = SymbolDisplayFormat.CSharpErrorMessageFormat;

    /// <summary>True when the method and every type containing it pass every rule.</summary>
    public static bool IsValid(IMethodSymbol method, CancellationToken cancellationToken) =>
        ValidateContainingTypes(method.ContainingType, null, cancellationToken)
        && ValidateMethod(method, null, cancellationToken);

    /// <summary>Rules about the method itself; adds a diagnostic per violation to <paramref name="diagnostics"/> when given.</summary>
    public static bool ValidateMethod(IMethodSymbol method, List<Diagnostic>? diagnostics, CancellationToken cancellationToken)
    {
        var sink = new Sink(diagnostics);
        string name = method.ToDisplayString(s_messageFormat);
        Location? identifier = method.Locations.FirstOrDefault();
        var declaration = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as MethodDeclarationSyntax;

        if (method.MethodKind != MethodKind.Ordinary)
        {
            return sink.Add(DiagnosticDescriptors.NotAnOrdinaryMethod, identifier, DescribeKind(method.MethodKind));
        }

        if (!method.IsStatic)
        {
            sink.Add(DiagnosticDescriptors.MethodMustBeStatic, identifier, name);
        }

        if (method.IsGenericMethod)
        {
            sink.Add(DiagnosticDescriptors.GenericMethod, identifier, name);
        }

        if (method.IsAsync && method.ReturnsVoid)
        {
            sink.Add(DiagnosticDescriptors.AsyncVoid, identifier, name);
        }

        ValidateParameters(method, name, identifier, sink, cancellationToken);
        ValidateReturn(method, name, declaration?.ReturnType.GetLocation() ?? identifier, sink);

        if (method.ContainingType.GetMembers(method.Name).Count(m => m is IMethodSymbol && m.HasProcessParallelAttribute()) > 1)
        {
            sink.Add(DiagnosticDescriptors.DuplicateMethodName, identifier, method.ContainingType.ToDisplayString(s_messageFormat), method.Name);
        }

        return sink.IsValid;
    }

    /// <summary>Rules about the type that declares the methods and every type containing it.</summary>
    public static bool ValidateContainingTypes(INamedTypeSymbol type, List<Diagnostic>? diagnostics, CancellationToken cancellationToken)
    {
        var sink = new Sink(diagnostics);
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            string name = current.ToDisplayString(s_messageFormat);
            Location? identifier = current.Locations.FirstOrDefault();
            if (!current.IsDeclaredPartial(cancellationToken))
            {
                sink.Add(DiagnosticDescriptors.TypeMustBePartial, identifier, name);
            }

            if (current.TypeParameters.Length > 0)
            {
                sink.Add(DiagnosticDescriptors.GenericType, identifier, name);
            }

            if (DescribeInaccessible(current) is { } accessibility)
            {
                sink.Add(DiagnosticDescriptors.TypeNotAccessible, identifier, name, accessibility);
            }
        }

        foreach (ISymbol member in type.GetMembers(WellKnownNames.RemoteClassName))
        {
            if (!IsGeneratedRemoteClass(member))
            {
                sink.Add(DiagnosticDescriptors.RemoteMemberClash, member.Locations.FirstOrDefault(), type.ToDisplayString(s_messageFormat));
            }
        }

        return sink.IsValid;
    }

    /// <summary>True for the <c>Remote</c> class this generator emitted (visible to the analyzer, never to the generator).</summary>
    public static bool IsGeneratedRemoteClass(ISymbol member) =>
        member is INamedTypeSymbol { TypeKind: TypeKind.Class }
        && member.DeclaringSyntaxReferences.Length > 0
        && member.DeclaringSyntaxReferences.All(r => r.SyntaxTree.FilePath.EndsWith(WellKnownNames.HintNameSuffix, System.StringComparison.Ordinal));

    private static void ValidateParameters(IMethodSymbol method, string name, Location? identifier, Sink sink, CancellationToken cancellationToken)
    {
        var parameters = method.Parameters;
        int transported = parameters.Count(p => !IsCancellationToken(p.Type));
        if (transported > MaxParameters)
        {
            sink.Add(DiagnosticDescriptors.TooManyParameters, identifier, name, transported, MaxParameters);
        }

        for (int i = 0; i < parameters.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IParameterSymbol parameter = parameters[i];
            var syntax = parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as ParameterSyntax;
            Location? location = syntax?.GetLocation() ?? parameter.Locations.FirstOrDefault();
            Location? typeLocation = syntax?.Type?.GetLocation() ?? location;

            if (DescribeUnsupportedParameter(parameter) is { } problem)
            {
                sink.Add(DiagnosticDescriptors.UnsupportedParameter, location, parameter.Name, name, problem);
                continue;
            }

            if (IsCancellationToken(parameter.Type))
            {
                bool isOnlyAndLast = i == parameters.Length - 1 && parameters.Count(p => IsCancellationToken(p.Type)) == 1;
                if (!isOnlyAndLast)
                {
                    sink.Add(DiagnosticDescriptors.CancellationTokenNotLast, location, parameter.Name, name);
                }

                continue;
            }

            string where = $"parameter '{parameter.Name}'";
            ValidateTransportedType(parameter.Type, where, typeLocation, isParameter: true, sink);
        }
    }

    private static void ValidateReturn(IMethodSymbol method, string name, Location? location, Sink sink)
    {
        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            sink.Add(DiagnosticDescriptors.UnsupportedReturn, location, name, "a reference ('ref')");
            return;
        }

        if (method.ReturnsVoid || method.ReturnType.Is(WellKnownNames.Task) || method.ReturnType.Is(WellKnownNames.ValueTask))
        {
            return;
        }

        ITypeSymbol result = UnwrapTask(method.ReturnType);
        if (DescribeUnsupportedType(result) is { } problem)
        {
            sink.Add(DiagnosticDescriptors.UnsupportedReturn, location, name, problem);
            return;
        }

        ValidateTransportedType(result, $"the result of '{name}'", location, isParameter: false, sink);
    }

    private static void ValidateTransportedType(ITypeSymbol type, string where, Location? location, bool isParameter, Sink sink)
    {
        // Placement first: a misplaced channel would otherwise surface as a vaguer PG0009 on the type around it.
        if (ChannelTypes.FindMisplaced(type, isParameter) is { } channel)
        {
            sink.Add(DiagnosticDescriptors.ChannelNotAParameter, location, channel.ToDisplayString(s_messageFormat), where);
        }
        else if (Serializability.FindUnserializable(type) is { } offending)
        {
            if (offending is INamedTypeSymbol named && Serializability.FindNonPartialMemoryPackable(named) is { } notPartial)
            {
                // One clear error about the user's type instead of MemoryPack's compile errors inside our generated code.
                string which = SymbolEqualityComparer.Default.Equals(notPartial, named)
                    ? "it is"
                    : $"its containing type '{notPartial.ToDisplayString(s_messageFormat)}' is";
                sink.Add(DiagnosticDescriptors.MemoryPackableNotPartial, location, named.ToDisplayString(s_messageFormat), where, which);
            }
            else
            {
                sink.Add(DiagnosticDescriptors.NotSerializable, location, type.ToDisplayString(s_messageFormat), where, offending.ToDisplayString(s_messageFormat), SerializationAdvice.For(offending, isParameter));
            }
        }
        else if (FindInaccessible(type) is { } hidden)
        {
            sink.Add(DiagnosticDescriptors.SignatureTypeNotAccessible, location, hidden.Type.ToDisplayString(s_messageFormat), where, hidden.Accessibility);
        }
    }

    /// <summary>The result type the handle exposes: <c>Task&lt;T&gt;</c> and <c>ValueTask&lt;T&gt;</c> become <c>T</c>.</summary>
    public static ITypeSymbol UnwrapTask(ITypeSymbol type) =>
        type is INamedTypeSymbol named && (named.Is(WellKnownNames.TaskOfT) || named.Is(WellKnownNames.ValueTaskOfT))
            ? named.TypeArguments[0]
            : type;

    public static bool IsCancellationToken(ITypeSymbol type) => type.Is(WellKnownNames.CancellationToken);

    private static string? DescribeUnsupportedParameter(IParameterSymbol parameter) => parameter.RefKind switch
    {
        RefKind.Ref => "passed by reference ('ref')",
        RefKind.Out => "an 'out' parameter",
        RefKind.In => "passed by reference ('in')",
        RefKind.None => DescribeUnsupportedType(parameter.Type),
        _ => "passed by reference ('ref readonly')",
    };

    private static string? DescribeUnsupportedType(ITypeSymbol type) => type switch
    {
        { TypeKind: TypeKind.Pointer or TypeKind.FunctionPointer } => $"a pointer ('{type.ToDisplayString(s_messageFormat)}')",
        { IsRefLikeType: true } => $"a ref struct ('{type.ToDisplayString(s_messageFormat)}')",
        _ => null,
    };

    private static string DescribeKind(MethodKind kind) => kind switch
    {
        MethodKind.LocalFunction => "local functions",
        MethodKind.AnonymousFunction => "lambdas",
        MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove => "accessors",
        MethodKind.UserDefinedOperator or MethodKind.Conversion => "operators",
        MethodKind.Constructor or MethodKind.StaticConstructor or MethodKind.Destructor => "constructors or finalizers",
        _ => "this kind of method",
    };

    /// <summary>Why a type cannot be named from the rest of its assembly, or null when it can.</summary>
    private static string? DescribeInaccessible(INamedTypeSymbol type) => type switch
    {
        { IsFileLocal: true } => "file-local",
        { DeclaredAccessibility: Accessibility.Private } => "private",
        { DeclaredAccessibility: Accessibility.Protected } => "protected",
        { DeclaredAccessibility: Accessibility.ProtectedAndInternal } => "private protected",
        _ => null,
    };

    /// <summary>The first type inside <paramref name="type"/> (itself, a container, an element or a type argument) the assembly cannot name.</summary>
    private static (ITypeSymbol Type, string Accessibility)? FindInaccessible(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return FindInaccessible(array.ElementType);
            case INamedTypeSymbol named:
                for (INamedTypeSymbol? current = named; current is not null; current = current.ContainingType)
                {
                    if (DescribeInaccessible(current) is { } accessibility)
                    {
                        return (current, accessibility);
                    }
                }

                return named.TypeArguments.Select(FindInaccessible).FirstOrDefault(t => t is not null);
            default:
                return null;
        }
    }

    /// <summary>Collects diagnostics when the analyzer asks for them; for the generator it only remembers failure.</summary>
    private sealed class Sink(List<Diagnostic>? diagnostics)
    {
        public bool IsValid { get; private set; } = true;

        public bool Add(DiagnosticDescriptor descriptor, Location? location, params object[] arguments)
        {
            IsValid = false;
            diagnostics?.Add(Diagnostic.Create(descriptor, location, arguments));
            return false;
        }
    }
}

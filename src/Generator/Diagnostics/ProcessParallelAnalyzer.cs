using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using ParallelGen.Generator.Parsing;

namespace ParallelGen.Generator.Diagnostics;

/// <summary>
/// Reports every <c>[ProcessParallel]</c> rule violation with its real location (so <c>#pragma warning disable</c> and
/// editor squiggles work). The generator applies the same <see cref="MethodValidator"/> and skips rejected methods.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ProcessParallelAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.MethodMustBeStatic,
        DiagnosticDescriptors.TypeMustBePartial,
        DiagnosticDescriptors.GenericMethod,
        DiagnosticDescriptors.GenericType,
        DiagnosticDescriptors.TypeNotAccessible,
        DiagnosticDescriptors.UnsupportedParameter,
        DiagnosticDescriptors.UnsupportedReturn,
        DiagnosticDescriptors.AsyncVoid,
        DiagnosticDescriptors.NotSerializable,
        DiagnosticDescriptors.DuplicateMethodName,
        DiagnosticDescriptors.RemoteMemberClash,
        DiagnosticDescriptors.TooManyParameters,
        DiagnosticDescriptors.NotAnOrdinaryMethod,
        DiagnosticDescriptors.CancellationTokenNotLast,
        DiagnosticDescriptors.SignatureTypeNotAccessible,
        DiagnosticDescriptors.ChannelNotAParameter,
        DiagnosticDescriptors.MemoryPackableNotPartial);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName(WellKnownNames.ProcessParallelAttribute) is null)
            {
                return;
            }

            start.RegisterSymbolAction(AnalyzeMethod, SymbolKind.Method);
            start.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
            start.RegisterSyntaxNodeAction(
                AnalyzeFunction,
                SyntaxKind.LocalFunctionStatement,
                SyntaxKind.ParenthesizedLambdaExpression,
                SyntaxKind.SimpleLambdaExpression);
        });
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (!method.HasProcessParallelAttribute())
        {
            return;
        }

        var diagnostics = new List<Diagnostic>();
        MethodValidator.ValidateMethod(method, diagnostics, context.CancellationToken);
        diagnostics.ForEach(context.ReportDiagnostic);
    }

    /// <summary>Type rules, once per type that declares marked methods (not once per method).</summary>
    private static void AnalyzeType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!type.GetMembers().Any(m => m is IMethodSymbol && m.HasProcessParallelAttribute()))
        {
            return;
        }

        var diagnostics = new List<Diagnostic>();
        MethodValidator.ValidateContainingTypes(type, diagnostics, context.CancellationToken);
        diagnostics.ForEach(context.ReportDiagnostic);
    }

    /// <summary>Local functions and lambdas are not members, so symbol actions never see them.</summary>
    private static void AnalyzeFunction(SyntaxNodeAnalysisContext context)
    {
        SyntaxList<AttributeListSyntax> attributeLists = context.Node switch
        {
            LocalFunctionStatementSyntax local => local.AttributeLists,
            LambdaExpressionSyntax lambda => lambda.AttributeLists,
            _ => default,
        };

        foreach (AttributeSyntax attribute in attributeLists.SelectMany(l => l.Attributes))
        {
            if (context.SemanticModel.GetTypeInfo(attribute, context.CancellationToken).Type is { } type
                && type.GetFullMetadataName() == WellKnownNames.ProcessParallelAttribute)
            {
                string kind = context.Node is LocalFunctionStatementSyntax ? "local functions" : "lambdas";
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotAnOrdinaryMethod, attribute.GetLocation(), kind));
            }
        }
    }
}

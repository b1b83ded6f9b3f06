using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ParallelGen.Generator.Parsing;

namespace ParallelGen.Generator.Diagnostics;

/// <summary>
/// PG0020: a method group or a lambda where a handle (<c>RemoteFunc</c>/<c>RemoteAction</c>, any <c>RemoteMethod</c>) is
/// expected. The compiler reports CS1503, CS1660 or CS0428, often naming an overload the user never meant (a
/// <c>Func</c> method "cannot convert to RemoteAction&lt;int&gt;"); this says what to pass instead. For a method group
/// of a <c>[ProcessParallel]</c> method the diagnostic carries the handle expression (<see cref="HandleProperty"/>),
/// which the code fix puts in its place.
/// </summary>
/// <remarks>
/// Runs only on code that failed to bind: invalid operations and conversions that do not exist, so correct code costs
/// nothing beyond that check. A failed call has no symbol, so the expected type comes from the candidate overloads: the
/// parameter an argument binds to (by name, else by position) in any candidate whose parameter type is a handle.
/// Elsewhere (an initializer, an assignment, a return value) the failed conversion names the handle type.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HandleArgumentAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic property with the handle expression to write instead (<c>Jobs.Remote.Square</c>).</summary>
    public const string HandleProperty = "Handle";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.HandleExpected);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName(WellKnownNames.RemoteMethod) is not { } remoteMethod)
            {
                return; // no ParallelGen reference: nothing can expect a handle
            }

            start.RegisterOperationAction(c => AnalyzeInvalid(c, remoteMethod), OperationKind.Invalid);
            start.RegisterOperationAction(c => AnalyzeConversion(c, remoteMethod), OperationKind.Conversion);
        });
    }

    private static void AnalyzeInvalid(OperationAnalysisContext context, INamedTypeSymbol remoteMethod)
    {
        SyntaxNode syntax = context.Operation.Syntax;
        SemanticModel model = context.Operation.SemanticModel!;
        switch (syntax)
        {
            case InvocationExpressionSyntax { ArgumentList: var arguments }:
                AnalyzeCall(context, model, syntax, arguments, remoteMethod);
                break;
            case BaseObjectCreationExpressionSyntax { ArgumentList: { } arguments }:
                AnalyzeCall(context, model, syntax, arguments, remoteMethod);
                break;
        }
    }

    private static void AnalyzeCall(OperationAnalysisContext context, SemanticModel model, SyntaxNode call, ArgumentListSyntax arguments, INamedTypeSymbol remoteMethod)
    {
        if (!arguments.Arguments.Any(a => MayBeMethodOrLambda(a.Expression)))
        {
            return;
        }

        SymbolInfo info = model.GetSymbolInfo(call, context.CancellationToken);
        if (info.Symbol is not null || info.CandidateSymbols.IsEmpty)
        {
            return; // the call itself bound (something inside it failed), or there is nothing to compare with
        }

        var candidates = info.CandidateSymbols.OfType<IMethodSymbol>().ToList();
        for (int i = 0; i < arguments.Arguments.Count; i++)
        {
            ArgumentSyntax argument = arguments.Arguments[i];
            if (MayBeMethodOrLambda(argument.Expression)
                && candidates.Any(m => ParameterFor(m, argument, i) is { } parameter && IsHandle(parameter.Type, remoteMethod)))
            {
                Report(context, model, argument.Expression);
            }
        }
    }

    /// <summary>
    /// A value converted to a handle type where no conversion exists: a variable, field or property initializer, an
    /// assignment, a return value (CS0428, CS1660).
    /// </summary>
    private static void AnalyzeConversion(OperationAnalysisContext context, INamedTypeSymbol remoteMethod)
    {
        if (context.Operation is IConversionOperation { Conversion.Exists: false } conversion
            && conversion.Operand.Syntax is ExpressionSyntax value
            && MayBeMethodOrLambda(value)
            && IsHandle(conversion.Type, remoteMethod))
        {
            Report(context, conversion.SemanticModel!, value);
        }
    }

    /// <summary>A lambda, an anonymous method, or a name that could be a method group (syntax only).</summary>
    private static bool MayBeMethodOrLambda(ExpressionSyntax expression) =>
        expression is AnonymousFunctionExpressionSyntax or IdentifierNameSyntax or GenericNameSyntax or MemberAccessExpressionSyntax;

    private static IParameterSymbol? ParameterFor(IMethodSymbol method, ArgumentSyntax argument, int position)
    {
        if (argument.NameColon is { } name)
        {
            return method.Parameters.FirstOrDefault(p => p.Name == name.Name.Identifier.ValueText);
        }

        return position < method.Parameters.Length ? method.Parameters[position] : null;
    }

    private static bool IsHandle(ITypeSymbol? type, INamedTypeSymbol remoteMethod)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, remoteMethod))
            {
                return true;
            }
        }

        return false;
    }

    private static void Report(OperationAnalysisContext context, SemanticModel model, ExpressionSyntax expression)
    {
        if (expression is AnonymousFunctionExpressionSyntax)
        {
            string what = expression is AnonymousMethodExpressionSyntax ? "An anonymous method" : "A lambda expression";
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.HandleExpected,
                expression.GetLocation(),
                what,
                "a pool runs code in another process only through a handle: move the code into a static [ProcessParallel] method and pass its handle, 'Type.Remote.Method'"));
            return;
        }

        SymbolInfo info = model.GetSymbolInfo(expression, context.CancellationToken);
        var methods = (info.Symbol is null ? info.CandidateSymbols : ImmutableArray.Create(info.Symbol)).OfType<IMethodSymbol>().ToList();
        if (methods.Count == 0 || methods.Count != (info.Symbol is null ? info.CandidateSymbols.Length : 1))
        {
            return; // not a method group (a field, a property, a local): the compiler's message is the right one
        }

        IMethodSymbol method = methods.FirstOrDefault(m => m.HasProcessParallelAttribute()) ?? methods[0];
        string handle = HandleExpression(model, expression, method, context.CancellationToken);
        string group = $"The method group '{expression}'";
        if (method.HasProcessParallelAttribute() && expression is not GenericNameSyntax)
        {
            // The fix only when the generator made the handle (a method that breaks a rule has none yet).
            var properties = MethodValidator.IsValid(method, context.CancellationToken)
                ? ImmutableDictionary<string, string?>.Empty.Add(HandleProperty, handle)
                : ImmutableDictionary<string, string?>.Empty;
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.HandleExpected, expression.GetLocation(), properties, group, $"pass its handle '{handle}'"));
        }
        else
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.HandleExpected,
                expression.GetLocation(),
                group,
                $"mark '{method.ContainingType.Name}.{method.Name}' [ProcessParallel] (a static method of a partial type) and pass its handle '{handle}'"));
        }
    }

    /// <summary>
    /// <c>Jobs.Square</c> → <c>Jobs.Remote.Square</c>: a qualifier that names the type is kept as written; otherwise (a
    /// bare <c>Square</c>, an instance before the dot) the containing type is named as the call site can name it.
    /// </summary>
    private static string HandleExpression(SemanticModel model, ExpressionSyntax expression, IMethodSymbol method, System.Threading.CancellationToken cancellationToken)
    {
        string type = expression is MemberAccessExpressionSyntax access && model.GetSymbolInfo(access.Expression, cancellationToken).Symbol is ITypeSymbol
            ? access.Expression.ToString()
            : method.ContainingType.ToMinimalDisplayString(model, expression.SpanStart);
        return $"{type}.{WellKnownNames.RemoteClassName}.{Identifiers.Escape(method.Name)}";
    }
}

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using ParallelGen.Generator.Parsing;

namespace ParallelGen.Generator.Diagnostics;

/// <summary>
/// PG0018: a NativeAOT, single-file or self-contained executable has no ParallelGen.dll to start as a worker, so the
/// pool starts the app's own executable again and its entry point must hand control to the worker before anything else
/// (<c>ParallelGen.ProcessWorker.RunIfWorker(args);</c>). Reads the MSBuild properties the package's
/// <c>build/ParallelGen.props</c> makes visible (<c>build_property.PublishAot</c> and so on).
/// </summary>
/// <remarks>
/// Runs for any executable that references the ParallelGen runtime, not only for one that declares
/// <c>[ProcessParallel]</c> methods: in such an app every worker is this executable, whichever assembly (the app or a
/// library it uses) declares the methods or creates the pool. It is one type lookup per compilation, no per-symbol scan.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class WorkerHookAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The MSBuild properties that make an app start itself as a worker, with the name the message uses.</summary>
    private static readonly (string Property, string Mode)[] s_modes =
    [
        ("PublishAot", "NativeAOT"),
        ("PublishSingleFile", "single-file"),
        ("SelfContained", "self-contained"),
    ];

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.WorkerHookMissing);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            Compilation compilation = start.Compilation;
            if (compilation.Options.OutputKind is not (OutputKind.ConsoleApplication or OutputKind.WindowsApplication)
                || PublishMode(start.Options.AnalyzerConfigOptionsProvider.GlobalOptions) is not { } mode
                || compilation.GetTypeByMetadataName(WellKnownNames.ProcessWorker) is not { } worker
                || SymbolEqualityComparer.Default.Equals(worker.ContainingAssembly, compilation.Assembly))
            {
                return; // not an app that starts itself as a worker, or not one that uses ParallelGen (or is ParallelGen)
            }

            if (compilation.GetEntryPoint(start.CancellationToken) is not { } entryPoint
                || entryPoint.DeclaringSyntaxReferences.FirstOrDefault() is not { } declaration)
            {
                return; // no entry point: the compiler reports that
            }

            start.RegisterSemanticModelAction(context =>
            {
                if (context.SemanticModel.SyntaxTree == declaration.SyntaxTree)
                {
                    Analyze(context, declaration.GetSyntax(context.CancellationToken), entryPoint, mode);
                }
            });
        });
    }

    private static string? PublishMode(AnalyzerConfigOptions options)
    {
        foreach ((string property, string mode) in s_modes)
        {
            if (options.TryGetValue("build_property." + property, out string? value)
                && string.Equals(value?.Trim(), "true", System.StringComparison.OrdinalIgnoreCase))
            {
                return mode;
            }
        }

        return null;
    }

    private static void Analyze(SemanticModelAnalysisContext context, SyntaxNode declaration, IMethodSymbol entryPoint, string mode)
    {
        string name;
        Location location;
        SyntaxNode? first;
        IEnumerable<SyntaxNode> body;
        switch (declaration)
        {
            case MethodDeclarationSyntax method:
                name = "'" + entryPoint.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) + "'";
                location = method.Identifier.GetLocation();
                if (method.Body is { } block)
                {
                    first = FirstExecutable(block.Statements);
                    body = block.Statements;
                }
                else if (method.ExpressionBody is { } arrow)
                {
                    first = arrow.Expression;
                    body = [arrow.Expression];
                }
                else
                {
                    return;
                }

                break;

            case CompilationUnitSyntax unit:
                var statements = unit.Members.OfType<GlobalStatementSyntax>().ToList();
                GlobalStatementSyntax? firstGlobal = statements.FirstOrDefault(g => g.Statement is not LocalFunctionStatementSyntax);
                if (firstGlobal is null)
                {
                    return;
                }

                name = "(top-level statements)";
                location = firstGlobal.GetLocation();
                first = firstGlobal.Statement;
                body = statements;
                break;

            default:
                return;
        }

        if (IsHookCall(first, context.SemanticModel, context.CancellationToken))
        {
            return;
        }

        // A call somewhere else: the same error, saying it must come first. A call that is a statement of the entry
        // point's own body goes along as an additional location, so the code fix can move it rather than add another.
        ExpressionStatementSyntax? misplaced = body
            .SelectMany(n => n.DescendantNodesAndSelf())
            .OfType<InvocationExpressionSyntax>()
            .Where(i => IsHookCall(i, context.SemanticModel, context.CancellationToken))
            .Select(i => i.Parent as ExpressionStatementSyntax)
            .FirstOrDefault(s => s is not null);
        bool calledElsewhere = misplaced is not null || body
            .SelectMany(n => n.DescendantNodesAndSelf())
            .OfType<InvocationExpressionSyntax>()
            .Any(i => IsHookCall(i, context.SemanticModel, context.CancellationToken));

        string problem = calledElsewhere
            ? name + " calls ParallelGen.ProcessWorker.RunIfWorker, but not first"
            : name + " does not call ParallelGen.ProcessWorker.RunIfWorker";
        bool movable = misplaced is not null
            && (misplaced.Parent is BlockSyntax { Parent: MethodDeclarationSyntax } || misplaced.Parent is GlobalStatementSyntax);
        IEnumerable<Location>? additional = movable ? [misplaced!.GetLocation()] : null;
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.WorkerHookMissing, location, additional, problem, mode));
    }

    private static StatementSyntax? FirstExecutable(SyntaxList<StatementSyntax> statements) =>
        statements.FirstOrDefault(s => s is not LocalFunctionStatementSyntax);

    private static bool IsHookCall(SyntaxNode? node, SemanticModel model, CancellationToken cancellationToken)
    {
        InvocationExpressionSyntax? invocation = node switch
        {
            ExpressionStatementSyntax { Expression: InvocationExpressionSyntax i } => i,
            InvocationExpressionSyntax i => i,
            _ => null,
        };

        return invocation is not null
            && model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol { Name: WellKnownNames.RunIfWorker } method
            && method.ContainingType.GetFullMetadataName() == WellKnownNames.ProcessWorker;
    }
}

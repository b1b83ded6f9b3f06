using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ParallelGen.CodeFixes;

/// <summary>
/// Fixes PG0020 for a method group of a <c>[ProcessParallel]</c> method: <c>pool.Apply(Jobs.Square, 7)</c> becomes
/// <c>pool.Apply(Jobs.Remote.Square, 7)</c>. The analyzer works out the handle expression and passes it in the
/// diagnostic's <c>Handle</c> property; a lambda (or a method without the attribute) has no handle, so no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseHandleCodeFixProvider))]
[Shared]
public sealed class UseHandleCodeFixProvider : CodeFixProvider
{
    /// <summary>PG0020: a method group or lambda where a handle is expected (the id is duplicated: this assembly never loads the generator).</summary>
    internal const string HandleExpected = "PG0020";

    /// <summary>The diagnostic property the analyzer fills with the handle expression.</summary>
    internal const string HandleProperty = "Handle";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(HandleExpected);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(HandleProperty, out string? handle) || handle is null
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax expression)
            {
                continue;
            }

            ExpressionSyntax replacement = SyntaxFactory.ParseExpression(handle).WithTriviaFrom(expression);
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Pass the handle '{handle}'",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(expression, replacement))),
                    HandleExpected),
                diagnostic);
        }
    }
}

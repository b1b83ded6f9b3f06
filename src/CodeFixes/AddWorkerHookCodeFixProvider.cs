using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace ParallelGen.CodeFixes;

/// <summary>
/// Fixes PG0018 by making <c>ParallelGen.ProcessWorker.RunIfWorker(args);</c> the first statement of <c>Main</c> (the
/// diagnostic sits on its name) or of the top-level statements (it sits on the first one, and <c>args</c> is implicit).
/// A call that is already a statement of the same body is moved rather than repeated; a <c>Main</c> without parameters
/// gets <c>string[] args</c>, and an expression-bodied one gets a block.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddWorkerHookCodeFixProvider))]
[Shared]
public sealed class AddWorkerHookCodeFixProvider : CodeFixProvider
{
    /// <summary>PG0018: the entry point must call ProcessWorker.RunIfWorker first (the id is duplicated: this assembly never loads the generator).</summary>
    internal const string WorkerHookMissing = "PG0018";

    private const string Title = "Call ProcessWorker.RunIfWorker(args) first";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(WorkerHookMissing);

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => null; // one entry point per compilation

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
            SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan);
            TextSpan? misplaced = diagnostic.AdditionalLocations.Count > 0 ? diagnostic.AdditionalLocations[0].SourceSpan : null;
            if (node.FirstAncestorOrSelf<GlobalStatementSyntax>() is { Parent: CompilationUnitSyntax } global)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => ReplaceAsync(context.Document, root, global.Parent, FixTopLevel((CompilationUnitSyntax)global.Parent, global, misplaced)), WorkerHookMissing),
                    diagnostic);
            }
            else if (node.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } method && (method.Body is not null || method.ExpressionBody is not null))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => ReplaceAsync(context.Document, root, method, FixMain(method, misplaced)), WorkerHookMissing),
                    diagnostic);
            }
        }
    }

    private static Task<Document> ReplaceAsync(Document document, SyntaxNode root, SyntaxNode oldNode, SyntaxNode newNode) =>
        Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(oldNode, newNode)));

    private static CompilationUnitSyntax FixTopLevel(CompilationUnitSyntax unit, GlobalStatementSyntax first, TextSpan? misplaced)
    {
        StatementSyntax hook = Hook("args", EndOfLine(unit));
        var hookGlobal = SyntaxFactory.GlobalStatement(hook.WithLeadingTrivia(first.GetLeadingTrivia()));
        GlobalStatementSyntax firstAfter = first.WithLeadingTrivia(Indentation(first.GetLeadingTrivia()));

        var members = unit.Members.Select(m => m == first ? firstAfter : m).ToList();
        members.RemoveAll(m => m is GlobalStatementSyntax g && misplaced is { } span && g.Statement.Span == span && g != first);
        members.Insert(members.IndexOf(firstAfter), hookGlobal);
        return unit.WithMembers(SyntaxFactory.List(members));
    }

    private static MethodDeclarationSyntax FixMain(MethodDeclarationSyntax method, TextSpan? misplaced)
    {
        // Find the call to move while the spans are still the document's.
        int misplacedIndex = method.Body is { } original && misplaced is { } span
            ? original.Statements.IndexOf(s => s.Span == span)
            : -1;

        string args;
        if (method.ParameterList.Parameters.FirstOrDefault() is { } parameter)
        {
            args = parameter.Identifier.ValueText;
        }
        else
        {
            args = "args";
            method = method.WithParameterList(method.ParameterList.AddParameters(
                SyntaxFactory.Parameter(SyntaxFactory.Identifier(args))
                    .WithType(SyntaxFactory.ParseTypeName("string[]").WithTrailingTrivia(SyntaxFactory.Space))));
        }

        SyntaxTrivia endOfLine = EndOfLine(method);
        SyntaxTriviaList indent = Indentation(method.GetLeadingTrivia());
        SyntaxTriviaList inner = indent.Add(SyntaxFactory.Whitespace("    "));
        if (method.ExpressionBody is { } arrow)
        {
            // "Main(...) => X;" becomes a block whose first statement is the hook and whose second returns or runs X.
            bool returnsValue = !(method.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword }
                || (method.Modifiers.Any(SyntaxKind.AsyncKeyword) && method.ReturnType is IdentifierNameSyntax));
            ExpressionSyntax expression = arrow.Expression.WithoutTrivia();
            StatementSyntax rest = returnsValue
                ? SyntaxFactory.ReturnStatement(SyntaxFactory.Token(SyntaxKind.ReturnKeyword).WithTrailingTrivia(SyntaxFactory.Space), expression, method.SemicolonToken.WithoutTrivia())
                : SyntaxFactory.ExpressionStatement(expression, method.SemicolonToken.WithoutTrivia());
            return method
                .WithParameterList(method.ParameterList.WithTrailingTrivia(endOfLine))
                .WithExpressionBody(null)
                .WithSemicolonToken(default)
                .WithBody(Block(indent, inner, endOfLine, [Hook(args, endOfLine).WithLeadingTrivia(inner), rest.WithLeadingTrivia(inner).WithTrailingTrivia(endOfLine)]))
                .WithTrailingTrivia(method.SemicolonToken.TrailingTrivia);
        }

        BlockSyntax body = method.Body!;
        var statements = body.Statements.ToList();
        if (misplacedIndex >= 0)
        {
            statements.RemoveAt(misplacedIndex);
        }

        if (statements.Count == 0)
        {
            return method.WithBody(Block(indent, inner, endOfLine, [Hook(args, endOfLine).WithLeadingTrivia(inner)])
                .WithTrailingTrivia(body.GetTrailingTrivia()));
        }

        StatementSyntax first = statements[0];
        statements[0] = first.WithLeadingTrivia(Indentation(first.GetLeadingTrivia()));
        statements.Insert(0, Hook(args, endOfLine).WithLeadingTrivia(first.GetLeadingTrivia()));
        return method.WithBody(body.WithStatements(SyntaxFactory.List(statements)));
    }

    private static BlockSyntax Block(SyntaxTriviaList indent, SyntaxTriviaList inner, SyntaxTrivia endOfLine, StatementSyntax[] statements) =>
        SyntaxFactory.Block(
            SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(indent).WithTrailingTrivia(endOfLine),
            SyntaxFactory.List(statements),
            SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(indent).WithTrailingTrivia(endOfLine));

    private static StatementSyntax Hook(string args, SyntaxTrivia endOfLine) =>
        SyntaxFactory.ParseStatement($"ParallelGen.ProcessWorker.RunIfWorker({args});").WithTrailingTrivia(endOfLine);

    /// <summary>The whitespace after the last line break of <paramref name="leading"/>: the statement's indentation.</summary>
    private static SyntaxTriviaList Indentation(SyntaxTriviaList leading)
    {
        int lastLineBreak = -1;
        for (int i = 0; i < leading.Count; i++)
        {
            if (leading[i].IsKind(SyntaxKind.EndOfLineTrivia) || leading[i].HasStructure)
            {
                lastLineBreak = i;
            }
        }

        return SyntaxFactory.TriviaList(leading.Skip(lastLineBreak + 1).Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)));
    }

    /// <summary>The file's own line break (the first one found), so the fix does not mix styles.</summary>
    private static SyntaxTrivia EndOfLine(SyntaxNode node) =>
        node.SyntaxTree.GetRoot().DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { } eol && eol.IsKind(SyntaxKind.EndOfLineTrivia)
            ? eol
            : SyntaxFactory.CarriageReturnLineFeed;
}

using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace ParallelGen.CodeFixes;

/// <summary>
/// Fixes PG0001 by making the method <c>static</c> and PG0002 by making the type <c>partial</c>. Both diagnostics sit
/// on the declaration's name, so the fix walks up to the declaration and lets <see cref="SyntaxGenerator"/> place the
/// modifier (it keeps trivia and the required modifier order).
/// </summary>
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(AddModifierCodeFixProvider))]
[Shared]
public sealed class AddModifierCodeFixProvider : CodeFixProvider
{
    /// <summary>PG0001: [ProcessParallel] method must be static (ids are duplicated here: this assembly never loads the generator).</summary>
    internal const string MethodMustBeStatic = "PG0001";

    /// <summary>PG0002: type must be partial.</summary>
    internal const string TypeMustBePartial = "PG0002";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(MethodMustBeStatic, TypeMustBePartial);

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
            SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan);
            if (diagnostic.Id == MethodMustBeStatic && node.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } method)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Make method static", ct => AddModifierAsync(context.Document, method, static m => m.WithIsStatic(true), ct), nameof(MethodMustBeStatic)),
                    diagnostic);
            }
            else if (diagnostic.Id == TypeMustBePartial && node.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } type)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Make type partial", ct => AddModifierAsync(context.Document, type, static m => m.WithPartial(true), ct), nameof(TypeMustBePartial)),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> AddModifierAsync(
        Document document, SyntaxNode declaration, System.Func<DeclarationModifiers, DeclarationModifiers> change, CancellationToken cancellationToken)
    {
        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        SyntaxGenerator generator = editor.Generator;
        editor.ReplaceNode(declaration, (current, _) => generator.WithModifiers(current, change(generator.GetModifiers(current))));
        return editor.GetChangedDocument();
    }
}

using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using NUnit.Framework;
using ParallelGen.CodeFixes;
using ParallelGen.Generator.Tests.Infrastructure;

namespace ParallelGen.Generator.Tests;

/// <summary>The "make static" (PG0001) and "make partial" (PG0002) fixes produce code the analyzer accepts.</summary>
[TestFixture]
public sealed class CodeFixTests
{
    [Test]
    public async Task PG0001_MakeStatic_AddsStaticInModifierOrder()
    {
        await AssertFixAsync(
            "PG0001",
            """
            using ParallelGen;

            namespace App;

            public static partial class Jobs
            {
                /// <summary>Squares.</summary>
                [ProcessParallel]
                public int Square(int x) => x * x;
            }
            """,
            """
            using ParallelGen;

            namespace App;

            public static partial class Jobs
            {
                /// <summary>Squares.</summary>
                [ProcessParallel]
                public static int Square(int x) => x * x;
            }
            """);
    }

    [Test]
    public async Task PG0002_MakePartial_AddsPartialBeforeTheKeyword()
    {
        await AssertFixAsync(
            "PG0002",
            """
            using ParallelGen;

            namespace App;

            internal static class Jobs
            {
                [ProcessParallel] public static int Square(int x) => x * x;
            }
            """,
            """
            using ParallelGen;

            namespace App;

            internal static partial class Jobs
            {
                [ProcessParallel] public static int Square(int x) => x * x;
            }
            """);
    }

    [Test]
    public async Task PG0002_TypeWithoutModifiers_KeepsLeadingTrivia()
    {
        await AssertFixAsync(
            "PG0002",
            """
            using ParallelGen;

            namespace App;

            // Jobs.
            class Jobs
            {
                [ProcessParallel] public static int Square(int x) => x * x;
            }
            """,
            """
            using ParallelGen;

            namespace App;

            // Jobs.
            partial class Jobs
            {
                [ProcessParallel] public static int Square(int x) => x * x;
            }
            """);
    }

    private static async Task AssertFixAsync(string id, string source, string expected)
    {
        using var workspace = new AdhocWorkspace();
        Project project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Default,
            "App",
            "App",
            LanguageNames.CSharp,
            compilationOptions: GeneratorHarness.CompilationOptions,
            parseOptions: GeneratorHarness.ParseOptions,
            metadataReferences: GeneratorHarness.References));
        Document document = workspace.AddDocument(project.Id, "Source.cs", SourceText.From(source));

        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        Diagnostic diagnostic = GeneratorHarness.GetAnalyzerDiagnostics(compilation).Single(d => d.Id == id);

        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await new AddModifierCodeFixProvider().RegisterCodeFixesAsync(context);
        var operations = await actions.Single().GetOperationsAsync(CancellationToken.None);
        Solution changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        Document fixedDocument = changed.GetDocument(document.Id)!;

        Assert.That((await fixedDocument.GetTextAsync()).ToString(), Is.EqualTo(expected));
        Compilation fixedCompilation = (await fixedDocument.Project.GetCompilationAsync())!;
        Assert.That(GeneratorHarness.GetAnalyzerDiagnostics(fixedCompilation).Where(d => d.Id == id), Is.Empty);
    }
}

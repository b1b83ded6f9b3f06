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

/// <summary>The "make static" (PG0001), "make partial" (PG0002), "call RunIfWorker first" (PG0018) and "pass the handle" (PG0020) fixes produce code the analyzer accepts.</summary>
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

    [Test]
    public async Task PG0018_Main_InsertsTheHookFirst()
    {
        await AssertHookFixAsync(
            """
            using System;

            public static class Program
            {
                public static void Main(string[] argv)
                {
                    // Greets.
                    Console.WriteLine("parent");
                }
            }
            """,
            """
            using System;

            public static class Program
            {
                public static void Main(string[] argv)
                {
                    // Greets.
                    ParallelGen.ProcessWorker.RunIfWorker(argv);
                    Console.WriteLine("parent");
                }
            }
            """);
    }

    [Test]
    public async Task PG0018_MainWithoutParameters_GetsArgs()
    {
        await AssertHookFixAsync(
            """
            public static class Program
            {
                public static void Main()
                {
                    System.Console.WriteLine("parent");
                }
            }
            """,
            """
            public static class Program
            {
                public static void Main(string[] args)
                {
                    ParallelGen.ProcessWorker.RunIfWorker(args);
                    System.Console.WriteLine("parent");
                }
            }
            """);
    }

    [Test]
    public async Task PG0018_ExpressionBodiedMain_GetsABlock()
    {
        await AssertHookFixAsync(
            """
            public static class Program
            {
                public static int Main(string[] args) => args.Length;
            }
            """,
            """
            public static class Program
            {
                public static int Main(string[] args)
                {
                    ParallelGen.ProcessWorker.RunIfWorker(args);
                    return args.Length;
                }
            }
            """);
    }

    [Test]
    public async Task PG0018_CallLater_IsMovedFirst()
    {
        await AssertHookFixAsync(
            """
            using System.Threading.Tasks;
            using ParallelGen;

            public static class Program
            {
                public static async Task Main(string[] args)
                {
                    System.Console.WriteLine("parent");
                    ProcessWorker.RunIfWorker(args);
                    await Task.Yield();
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using ParallelGen;

            public static class Program
            {
                public static async Task Main(string[] args)
                {
                    ParallelGen.ProcessWorker.RunIfWorker(args);
                    System.Console.WriteLine("parent");
                    await Task.Yield();
                }
            }
            """);
    }

    [Test]
    public async Task PG0018_TopLevelStatements_InsertsTheHookFirst()
    {
        await AssertHookFixAsync(
            """
            using System;

            int Twice(int x) => 2 * x;
            Console.WriteLine(Twice(args.Length));
            """,
            """
            using System;

            int Twice(int x) => 2 * x;
            ParallelGen.ProcessWorker.RunIfWorker(args);
            Console.WriteLine(Twice(args.Length));
            """);
    }

    [Test]
    public async Task PG0018_TopLevelStatementsCallLater_IsMovedFirst()
    {
        await AssertHookFixAsync(
            """
            using System;

            Console.WriteLine("parent");
            ParallelGen.ProcessWorker.RunIfWorker(args);
            return 0;
            """,
            """
            using System;

            ParallelGen.ProcessWorker.RunIfWorker(args);
            Console.WriteLine("parent");
            return 0;
            """);
    }

    [Test]
    public async Task PG0020_QualifiedMethodGroup_BecomesItsHandle()
    {
        await AssertHandleFixAsync(
            """
            using ParallelGen;

            namespace App;

            public static partial class Jobs
            {
                [ProcessParallel] public static int Square(int x) => x * x;
            }

            public static class Caller
            {
                public static int[] Use(ProcessPool pool, int[] xs) => pool.Map(Jobs.Square, xs, chunkSize: 8);
            }
            """,
            """
            using ParallelGen;

            namespace App;

            public static partial class Jobs
            {
                [ProcessParallel] public static int Square(int x) => x * x;
            }

            public static class Caller
            {
                public static int[] Use(ProcessPool pool, int[] xs) => pool.Map(Jobs.Remote.Square, xs, chunkSize: 8);
            }
            """);
    }

    [Test]
    public async Task PG0020_BareMethodGroup_BecomesTheTypeQualifiedHandle()
    {
        await AssertHandleFixAsync(
            """
            using ParallelGen;

            namespace App;

            public static partial class Jobs
            {
                [ProcessParallel] public static void Touch(string path) { }

                public static void Use(ProcessPool pool) => pool.Apply( /* the file */ Touch, "a.txt");
            }
            """,
            """
            using ParallelGen;

            namespace App;

            public static partial class Jobs
            {
                [ProcessParallel] public static void Touch(string path) { }

                public static void Use(ProcessPool pool) => pool.Apply( /* the file */ Jobs.Remote.Touch, "a.txt");
            }
            """);
    }

    [Test]
    public async Task PG0020_Lambda_HasNoFix()
    {
        const string Source = """
            using ParallelGen;

            namespace App;

            public static partial class Jobs
            {
                [ProcessParallel] public static int Square(int x) => x * x;

                public static int Use(ProcessPool pool) => pool.Apply(x => x * x, 7);
            }
            """;
        using var workspace = new AdhocWorkspace();
        (Document document, Diagnostic diagnostic) = await DiagnoseAsync(workspace, "PG0020", Source, OutputKind.DynamicallyLinkedLibrary, withGeneratedCode: true);
        var actions = new List<CodeAction>();
        await new UseHandleCodeFixProvider().RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        Assert.That(actions, Is.Empty);
    }

    private static Task AssertHandleFixAsync(string source, string expected) =>
        AssertFixAsync("PG0020", source, expected, OutputKind.DynamicallyLinkedLibrary, new UseHandleCodeFixProvider(), withGeneratedCode: true);

    private static Task AssertHookFixAsync(string source, string expected) =>
        AssertFixAsync("PG0018", source, expected, OutputKind.ConsoleApplication, new AddWorkerHookCodeFixProvider());

    private static Task AssertFixAsync(string id, string source, string expected) =>
        AssertFixAsync(id, source, expected, OutputKind.DynamicallyLinkedLibrary, new AddModifierCodeFixProvider());

    private static readonly Dictionary<string, string> s_publishAot = new() { ["build_property.PublishAot"] = "true" };

    private static async Task AssertFixAsync(string id, string source, string expected, OutputKind kind, CodeFixProvider provider, bool withGeneratedCode = false)
    {
        using var workspace = new AdhocWorkspace();
        (Document document, Diagnostic diagnostic) = await DiagnoseAsync(workspace, id, source, kind, withGeneratedCode);
        var options = s_publishAot;
        Assert.That(diagnostic.Descriptor.DefaultSeverity, Is.EqualTo(DiagnosticSeverity.Error), "every diagnostic these fixes fix is an error");

        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);
        var operations = await actions.Single().GetOperationsAsync(CancellationToken.None);
        Solution changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        Document fixedDocument = changed.GetDocument(document.Id)!;

        Assert.That((await fixedDocument.GetTextAsync()).ToString(), Is.EqualTo(expected));
        Compilation fixedCompilation = (await fixedDocument.Project.GetCompilationAsync())!;
        Assert.That(fixedCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()), Is.Empty);
        Assert.That(GeneratorHarness.GetAnalyzerDiagnostics(fixedCompilation, options).Select(d => d.ToString()), Is.Empty, "the fixed code has no diagnostic left");
    }

    /// <summary>
    /// The source as the only user document of a workspace project, and its single <paramref name="id"/> diagnostic.
    /// With <paramref name="withGeneratedCode"/>, the generator's output for the source is added as documents under
    /// its hint names, as a build would see it (a fix that names a handle needs the <c>Remote</c> class to compile).
    /// </summary>
    private static async Task<(Document Document, Diagnostic Diagnostic)> DiagnoseAsync(
        AdhocWorkspace workspace, string id, string source, OutputKind kind, bool withGeneratedCode)
    {
        Project project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Default,
            "App",
            "App",
            LanguageNames.CSharp,
            compilationOptions: GeneratorHarness.CompilationOptions.WithOutputKind(kind),
            parseOptions: GeneratorHarness.ParseOptions,
            metadataReferences: GeneratorHarness.References));
        if (withGeneratedCode)
        {
            foreach (GeneratedSourceResult generated in GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source)).Single.GeneratedSources)
            {
                var info = DocumentInfo.Create(
                    DocumentId.CreateNewId(project.Id),
                    generated.HintName,
                    loader: TextLoader.From(TextAndVersion.Create(generated.SourceText, VersionStamp.Default)),
                    filePath: generated.HintName);
                project = workspace.AddDocument(info).Project;
            }
        }

        Document document = workspace.AddDocument(project.Id, "Source.cs", SourceText.From(source));
        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        Diagnostic diagnostic = GeneratorHarness.GetAnalyzerDiagnostics(compilation, s_publishAot).Single(d => d.Id == id);
        return (document, diagnostic);
    }

}

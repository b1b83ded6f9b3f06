using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using NUnit.Framework;
using ParallelGen.Generator.Tests.Infrastructure;

namespace ParallelGen.Generator.Tests;

/// <summary>
/// PG0020: a method group or lambda passed where the real ProcessPool API expects a handle. The compiler already fails
/// (CS1503, CS1660, CS0428); the analyzer says what to pass instead, and carries the handle for the code fix.
/// </summary>
[TestFixture]
public sealed class HandleArgumentTests
{
    private const string Jobs = """
        public static partial class Jobs
        {
            [ProcessParallel] public static int Square(int x) => x * x;
            [ProcessParallel] public static void Init(string path) { }
            [ProcessParallel] public static int Seed() => 42;
            public static int Helper(int x) => x;
        }
        """;

    [Test]
    public void PG0020_MethodGroupOfProcessParallelMethod_SaysToPassItsHandle()
    {
        var diagnostics = Analyze("""
            public static class Caller
            {
                public static void Use(ProcessPool pool, int[] xs)
                {
                    pool.Apply(Jobs.Square, 7);
                    int[] ys = pool.Map(Jobs.Square, xs);
                    pool.ApplyAsync(args: 3, method: App.Jobs.Square);
                    int seed = pool.Apply(Jobs.Seed);
                    var worker = WorkerProcess.Start(Jobs.Square, 3);
                    var init = ProcessInitializer.Create(Jobs.Init, "config.json");
                    RemoteFunc<int, int> handle = Jobs.Square;
                    handle = Jobs.Square;
                }
            }
            """, out var compilerErrors);

        string Message(string group, string handle) => $"The method group '{group}' is not a handle; pass its handle '{handle}'";
        AssertDiagnostics(diagnostics,
            ("Jobs.Square", Message("Jobs.Square", "Jobs.Remote.Square"), "Jobs.Remote.Square"),
            ("Jobs.Square", Message("Jobs.Square", "Jobs.Remote.Square"), "Jobs.Remote.Square"),
            ("App.Jobs.Square", Message("App.Jobs.Square", "App.Jobs.Remote.Square"), "App.Jobs.Remote.Square"),
            ("Jobs.Seed", Message("Jobs.Seed", "Jobs.Remote.Seed"), "Jobs.Remote.Seed"),
            ("Jobs.Square", Message("Jobs.Square", "Jobs.Remote.Square"), "Jobs.Remote.Square"),
            ("Jobs.Init", Message("Jobs.Init", "Jobs.Remote.Init"), "Jobs.Remote.Init"),
            ("Jobs.Square", Message("Jobs.Square", "Jobs.Remote.Square"), "Jobs.Remote.Square"),
            ("Jobs.Square", Message("Jobs.Square", "Jobs.Remote.Square"), "Jobs.Remote.Square"));

        // The compiler's own errors are still there: PG0020 adds what to do, it does not replace them.
        Assert.That(compilerErrors, Is.SupersetOf(new[] { "CS1503", "CS0428" }));
    }

    [Test]
    public void PG0020_BareMethodNameInsideItsType_GetsTheTypeNamedHandle()
    {
        var diagnostics = Analyze("""
            public static partial class Runner
            {
                [ProcessParallel] public static int Twice(int x) => 2 * x;

                public static int Use(ProcessPool pool) => pool.Apply(Twice, 4);
            }
            """, out _);
        AssertDiagnostics(diagnostics, ("Twice", "The method group 'Twice' is not a handle; pass its handle 'Runner.Remote.Twice'", "Runner.Remote.Twice"));
    }

    [Test]
    public void PG0020_LambdaAnonymousMethodOrPlainMethod_SaysHowToGetAHandle_WithoutAFix()
    {
        var diagnostics = Analyze("""
            public static class Caller
            {
                public static void Use(ProcessPool pool)
                {
                    pool.Apply(x => x * x, 7);
                    pool.Apply(delegate (int x) { return x; }, 7);
                    pool.Apply(Jobs.Helper, 7);
                    RemoteFunc<int, int> handle = x => x;
                }
            }
            """, out var compilerErrors);
        const string Lambda = "a pool runs code in another process only through a handle: move the code into a static [ProcessParallel] method and pass its handle, 'Type.Remote.Method'";
        AssertDiagnostics(diagnostics,
            ("x => x * x", "A lambda expression is not a handle; " + Lambda, null),
            ("delegate (int x) { return x; }", "An anonymous method is not a handle; " + Lambda, null),
            ("Jobs.Helper", "The method group 'Jobs.Helper' is not a handle; mark 'Jobs.Helper' [ProcessParallel] (a static method of a partial type) and pass its handle 'Jobs.Remote.Helper'", null),
            ("x => x", "A lambda expression is not a handle; " + Lambda, null));
        Assert.That(compilerErrors, Does.Contain("CS1660"), "the compiler's message for the lambda");
    }

    [Test]
    public void PG0020_HandlesAndDelegateParameters_ReportNothing()
    {
        var diagnostics = Analyze("""
            public static class Caller
            {
                public static void Use(ProcessPool pool, int[] xs)
                {
                    int y = pool.Apply(Jobs.Remote.Square, 7);
                    int[] ys = pool.Map(Jobs.Remote.Square, xs);
                    IEnumerable<int> local = xs.Select(Jobs.Square);
                    Func<int, int> f = Jobs.Square;
                    Task.Run(() => pool.Apply(Jobs.Remote.Seed));
                    RemoteFunc<int, int> handle = Jobs.Remote.Square;
                }
            }
            """, out var compilerErrors);
        Assert.That(compilerErrors, Is.Empty);
        Assert.That(diagnostics, Is.Empty);
    }

    [Test]
    public void PG0020_CallFailingForAnotherReason_ReportsNothingAboutDelegateArguments()
    {
        // List<int>.ForEach expects an Action<int>, not a handle: the wrong argument count is the only problem here.
        var diagnostics = Analyze("""
            public static class Caller
            {
                public static void Use(List<int> xs) => xs.ForEach(Jobs.Helper, 1);
            }
            """, out var compilerErrors);
        Assert.That(compilerErrors, Is.Not.Empty);
        Assert.That(diagnostics, Is.Empty);
    }

    /// <summary>The PG0020 diagnostics (after the generator ran), and the ids of the compiler's errors.</summary>
    private static List<Diagnostic> Analyze(string caller, out List<string> compilerErrors)
    {
        string source = $$"""
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using ParallelGen;

            namespace App;

            {{Jobs}}

            {{caller}}
            """;
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source));
        compilerErrors = run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).ToList();
        return GeneratorHarness.GetAnalyzerDiagnostics(run.Output).Where(d => d.Id == "PG0020").OrderBy(d => d.Location.SourceSpan.Start).ToList();
    }

    private static void AssertDiagnostics(List<Diagnostic> diagnostics, params (string Text, string Message, string? Handle)[] expected)
    {
        var actual = diagnostics.Select(d => (
            Text: d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan),
            Message: d.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
            Handle: d.Properties.TryGetValue("Handle", out string? handle) ? handle : null)).ToList();
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(diagnostics.Select(d => d.Descriptor.DefaultSeverity), Is.All.EqualTo(DiagnosticSeverity.Error));
        Assert.That(diagnostics.Select(d => d.Descriptor.HelpLinkUri), Is.All.EndsWith("/docs/diagnostics/PG0020.md"));
    }
}

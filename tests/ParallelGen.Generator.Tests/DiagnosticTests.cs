using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using NUnit.Framework;
using ParallelGen.Generator.Tests.Infrastructure;

namespace ParallelGen.Generator.Tests;

/// <summary>
/// One test per rule: the analyzer reports the id, severity, message and exact source text, the generator emits no
/// handle for the rejected method, and a valid neighbour in the same type still gets its handle.
/// </summary>
[TestFixture]
public sealed class DiagnosticTests
{
    [Test]
    public void PG0001_InstanceMethod_ReportsOnMethodName()
    {
        var result = Analyze("""
            public partial class Jobs
            {
                [ProcessParallel] public int Square(int x) => x * x;
                [ProcessParallel] public static int Valid(int x) => x;
            }
            """);
        result.AssertSingle("PG0001", "Square", "[ProcessParallel] method 'App.Jobs.Square(int)' must be static: a worker process has no instance to call it on");
        result.AssertHandles("App.Jobs", "Valid");
    }

    [Test]
    public void PG0002_TypeNotPartial_ReportsOnTypeName()
    {
        var result = Analyze("""
            public static class Jobs
            {
                [ProcessParallel] public static int Square(int x) => x * x;
            }

            public static partial class Fine
            {
                [ProcessParallel] public static int Valid(int x) => x;
            }
            """);
        result.AssertSingle("PG0002", "Jobs", "Type 'App.Jobs' must be partial so the generator can add the Remote class for its [ProcessParallel] methods");
        result.AssertHandles("App.Fine", "Valid");
        result.AssertNoFileFor("App.Jobs");
    }

    [Test]
    public void PG0002_ContainingTypeNotPartial_ReportsOnOuterTypeName()
    {
        var result = Analyze("""
            public class Outer
            {
                public static partial class Jobs
                {
                    [ProcessParallel] public static int Square(int x) => x * x;
                }
            }
            """);
        result.AssertSingle("PG0002", "Outer", "Type 'App.Outer' must be partial so the generator can add the Remote class for its [ProcessParallel] methods");
    }

    [Test]
    public void PG0003_GenericMethod_ReportsOnMethodName()
    {
        var result = Analyze("""
            public static partial class Jobs
            {
                [ProcessParallel] public static T Echo<T>(T x) => x;
                [ProcessParallel] public static int Valid(int x) => x;
            }
            """);
        result.AssertSingle("PG0003", "Echo", "[ProcessParallel] method 'App.Jobs.Echo<T>(T)' must not be generic: a handle needs closed parameter and result types");
        result.AssertHandles("App.Jobs", "Valid");
    }

    [Test]
    public void PG0004_GenericType_ReportsOnTypeName()
    {
        var result = Analyze("""
            public static partial class Box<T>
            {
                [ProcessParallel] public static int Square(int x) => x * x;
            }
            """);
        result.AssertSingle("PG0004", "Box", "Type 'App.Box<T>' must not be generic: [ProcessParallel] methods need one closed type the worker can dispatch to");
        result.AssertNoFileFor("App.Box");
    }

    [Test]
    public void PG0005_PrivateNestedType_ReportsOnTypeName()
    {
        var result = Analyze("""
            public partial class Outer
            {
                private static partial class Hidden
                {
                    [ProcessParallel] public static int Square(int x) => x * x;
                }

                internal static partial class Visible
                {
                    [ProcessParallel] public static int Valid(int x) => x;
                }
            }
            """);
        result.AssertSingle("PG0005", "Hidden", "Type 'App.Outer.Hidden' is private: the assembly's dispatch table cannot reach [ProcessParallel] methods inside it; make it internal or public");
        result.AssertHandles("App.Outer.Visible", "Valid");
    }

    [Test]
    public void PG0006_RefOutAndSpanParameters_ReportOnParameter()
    {
        var result = Analyze("""
            public static partial class Jobs
            {
                [ProcessParallel] public static int ByRef(ref int x) => x;
                [ProcessParallel] public static void Out(out int y) => y = 1;
                [ProcessParallel] public static int Slice(Span<int> s) => s.Length;
                [ProcessParallel] public static int Valid(int x) => x;
            }
            """);
        result.AssertDiagnostics(
            ("PG0006", "ref int x", "Parameter 'x' of 'App.Jobs.ByRef(ref int)' is passed by reference ('ref'), which cannot cross a process boundary"),
            ("PG0006", "out int y", "Parameter 'y' of 'App.Jobs.Out(out int)' is an 'out' parameter, which cannot cross a process boundary"),
            ("PG0006", "Span<int> s", "Parameter 's' of 'App.Jobs.Slice(System.Span<int>)' is a ref struct ('System.Span<int>'), which cannot cross a process boundary"));
        result.AssertHandles("App.Jobs", "Valid");
    }

    [Test]
    public void PG0007_RefStructAndByRefResults_ReportOnReturnType()
    {
        var result = Analyze("""
            public static partial class Jobs
            {
                private static int s_value;
                [ProcessParallel] public static Span<int> Slice(int n) => default;
                [ProcessParallel] public static ref int Cell(int n) => ref s_value;
                [ProcessParallel] public static int Valid(int x) => x;
            }
            """);
        result.AssertDiagnostics(
            ("PG0007", "Span<int>", "'App.Jobs.Slice(int)' returns a ref struct ('System.Span<int>'), which cannot cross a process boundary"),
            ("PG0007", "ref int", "'App.Jobs.Cell(int)' returns a reference ('ref'), which cannot cross a process boundary"));
        result.AssertHandles("App.Jobs", "Valid");
    }

    [Test]
    public void PG0008_AsyncVoid_ReportsOnMethodName()
    {
        var result = Analyze("""
            public static partial class Jobs
            {
                [ProcessParallel] public static async void Fire(int x) => await Task.Delay(x);
                [ProcessParallel] public static async Task Valid(int x) => await Task.Delay(x);
            }
            """);
        result.AssertSingle("PG0008", "Fire", "[ProcessParallel] method 'App.Jobs.Fire(int)' is async void, so nobody could await it; return Task instead");
        result.AssertHandles("App.Jobs", "Valid");
    }

    [Test]
    public void PG0009_UnserializableTypes_ReportOnTypeAndNameTheOffender()
    {
        var result = Analyze("""
            public sealed class Plain { public int X { get; set; } }

            public static partial class Jobs
            {
                [ProcessParallel] public static int Count(List<object> items) => items.Count;
                [ProcessParallel] public static Plain Make(int x) => new();
                [ProcessParallel] public static int Call(Func<int> f) => f();
                [ProcessParallel] public static int Pair((int A, Dictionary<string, Plain> B) pair) => pair.A;
                [ProcessParallel] public static Task<object> LoadAsync(int x) => Task.FromResult<object>(x);
                [ProcessParallel] public static int Valid(List<int> items, (int, string) pair, Dictionary<string, int[]> map) => 0;
            }
            """);
        result.AssertDiagnostics(
            ("PG0009", "List<object>", "The type 'System.Collections.Generic.List<object>' of parameter 'items' is not MemoryPack-serializable: 'object' is not supported; mark it [MemoryPackable] or use a supported type"),
            ("PG0009", "Plain", "The type 'App.Plain' of the result of 'App.Jobs.Make(int)' is not MemoryPack-serializable: 'App.Plain' is not supported; mark it [MemoryPackable] or use a supported type"),
            ("PG0009", "Func<int>", "The type 'System.Func<int>' of parameter 'f' is not MemoryPack-serializable: 'System.Func<int>' is not supported; mark it [MemoryPackable] or use a supported type"),
            ("PG0009", "(int A, Dictionary<string, Plain> B)", "The type '(int A, System.Collections.Generic.Dictionary<string, App.Plain> B)' of parameter 'pair' is not MemoryPack-serializable: 'App.Plain' is not supported; mark it [MemoryPackable] or use a supported type"),
            ("PG0009", "Task<object>", "The type 'object' of the result of 'App.Jobs.LoadAsync(int)' is not MemoryPack-serializable: 'object' is not supported; mark it [MemoryPackable] or use a supported type"));
        result.AssertHandles("App.Jobs", "Valid");
    }

    [Test]
    public void PG0010_SameNameTwice_ReportsOnBothMethods()
    {
        var result = Analyze("""
            public static partial class Jobs
            {
                [ProcessParallel] public static int Square(int x) => x * x;
                [ProcessParallel] public static long Square(long x) => x * x;
                [ProcessParallel] public static int Valid(int x) => x;
            }
            """);
        const string Message = "Type 'App.Jobs' has more than one [ProcessParallel] method named 'Square'; handles are named after their methods, so give overloads different names";
        result.AssertDiagnostics(("PG0010", "Square", Message), ("PG0010", "Square", Message));
        result.AssertHandles("App.Jobs", "Valid");
    }

    [Test]
    public void PG0011_MemberNamedRemote_ReportsOnThatMember()
    {
        var result = Analyze("""
            public static partial class Jobs
            {
                public static int Remote = 1;
                [ProcessParallel] public static int Square(int x) => x * x;
            }
            """);
        result.AssertSingle("PG0011", "Remote", "Type 'App.Jobs' declares a member named 'Remote', which clashes with the generated Remote class; rename it");
        result.AssertNoFileFor("App.Jobs");
    }

    [Test]
    public void PG0012_SeventeenParameters_ReportsOnMethodName()
    {
        string parameters = string.Join(", ", Enumerable.Range(1, 17).Select(i => $"int p{i}"));
        var result = Analyze($$"""
            public static partial class Jobs
            {
                [ProcessParallel] public static int Many({{parameters}}) => 0;
                [ProcessParallel] public static int Sixteen({{string.Join(", ", Enumerable.Range(1, 16).Select(i => $"int p{i}"))}}, CancellationToken ct) => 0;
            }
            """);
        result.AssertSingle("PG0012", "Many", "[ProcessParallel] method 'App.Jobs.Many(int, int, int, int, int, int, int, int, int, int, int, int, int, int, int, int, int)' has 17 parameters; at most 16 are supported, so pass a [MemoryPackable] type instead");
        result.AssertHandles("App.Jobs", "Sixteen");
    }

    [Test]
    public void PG0013_LocalFunctionAndLambda_ReportOnAttribute()
    {
        var result = Analyze("""
            public static partial class Jobs
            {
                public static int Host()
                {
                    [ProcessParallel] static int Local(int x) => x;
                    Func<int, int> lambda = [ProcessParallel] (int x) => x;
                    return Local(1) + lambda(2);
                }

                [ProcessParallel] public static int Valid(int x) => x;
            }
            """);
        result.AssertDiagnostics(
            ("PG0013", "ProcessParallel", "[ProcessParallel] applies to static methods declared in a type, not to local functions"),
            ("PG0013", "ProcessParallel", "[ProcessParallel] applies to static methods declared in a type, not to lambdas"));
        result.AssertHandles("App.Jobs", "Valid");
    }

    [Test]
    public void PG0014_CancellationTokenNotLastOrTwice_ReportsOnParameter()
    {
        var result = Analyze("""
            public static partial class Jobs
            {
                [ProcessParallel] public static int First(CancellationToken ct, int ms) => ms;
                [ProcessParallel] public static int Twice(int ms, CancellationToken a, CancellationToken b) => ms;
                [ProcessParallel] public static int Valid(int ms, CancellationToken ct) => ms;
            }
            """);
        result.AssertDiagnostics(
            ("PG0014", "CancellationToken ct", "CancellationToken parameter 'ct' of 'App.Jobs.First(System.Threading.CancellationToken, int)' must be the last parameter, and a method may take only one"),
            ("PG0014", "CancellationToken a", "CancellationToken parameter 'a' of 'App.Jobs.Twice(int, System.Threading.CancellationToken, System.Threading.CancellationToken)' must be the last parameter, and a method may take only one"),
            ("PG0014", "CancellationToken b", "CancellationToken parameter 'b' of 'App.Jobs.Twice(int, System.Threading.CancellationToken, System.Threading.CancellationToken)' must be the last parameter, and a method may take only one"));
        result.AssertHandles("App.Jobs", "Valid");
    }

    [Test]
    public void PG0016_PrivateTypeInSignature_ReportsOnType()
    {
        var result = Analyze("""
            public partial class Jobs
            {
                [MemoryPack.MemoryPackable] private partial record Secret(int X);
                [MemoryPack.MemoryPackable] internal partial record Shared(int X);

                [ProcessParallel] private static int Use(Secret[] secrets) => secrets.Length;
                [ProcessParallel] private static int Valid(Shared shared) => shared.X;
            }
            """);
        result.AssertSingle("PG0016", "Secret[]", "The type 'App.Jobs.Secret' of parameter 'secrets' is private; the handle is reachable from the whole assembly, so the type must be internal or public");
        result.AssertHandles("App.Jobs", "Valid");
    }

    [Test]
    public void PG0009_ChannelOfUnserializableItem_ReportsOnTypeAndNamesTheItem()
    {
        var result = Analyze("""
            public static partial class Jobs
            {
                [ProcessParallel] public static void Produce(ProcessQueue<object> queue) { }
                [ProcessParallel] public static void Track(IProgress<Func<int>> progress) { }
                [ProcessParallel] public static void Valid(ProcessQueue<int> queue, IProgress<double> progress) { }
            }
            """);
        result.AssertDiagnostics(
            ("PG0009", "ProcessQueue<object>", "The type 'ParallelGen.ProcessQueue<object>' of parameter 'queue' is not MemoryPack-serializable: 'object' is not supported; mark it [MemoryPackable] or use a supported type"),
            ("PG0009", "IProgress<Func<int>>", "The type 'System.IProgress<System.Func<int>>' of parameter 'progress' is not MemoryPack-serializable: 'System.Func<int>' is not supported; mark it [MemoryPackable] or use a supported type"));
        result.AssertHandles("App.Jobs", "Valid");
    }

    [Test]
    public void PG0017_ChannelAsResult_ReportsOnReturnType()
    {
        var result = Analyze("""
            public static partial class Jobs
            {
                [ProcessParallel] public static ProcessQueue<int> Open() => new();
                [ProcessParallel] public static Task<IProgress<double>> TrackAsync(int n) => Task.FromResult<IProgress<double>>(new Progress<double>());
                [ProcessParallel] public static (int, ProcessQueue<int>) Pair(int n) => (n, new());
                [ProcessParallel] public static int Valid(ProcessQueue<int> queue) => 0;
            }
            """);
        result.AssertDiagnostics(
            ("PG0017", "ProcessQueue<int>", "'ParallelGen.ProcessQueue<int>' in the result of 'App.Jobs.Open()' is not supported: a ProcessQueue<T> or IProgress<T> can only be the declared type of a parameter, not a result or part of another type"),
            ("PG0017", "Task<IProgress<double>>", "'System.IProgress<double>' in the result of 'App.Jobs.TrackAsync(int)' is not supported: a ProcessQueue<T> or IProgress<T> can only be the declared type of a parameter, not a result or part of another type"),
            ("PG0017", "(int, ProcessQueue<int>)", "'ParallelGen.ProcessQueue<int>' in the result of 'App.Jobs.Pair(int)' is not supported: a ProcessQueue<T> or IProgress<T> can only be the declared type of a parameter, not a result or part of another type"));
        result.AssertHandles("App.Jobs", "Valid");
    }

    [Test]
    public void PG0017_ChannelInsideAParameterType_ReportsOnParameterType()
    {
        var result = Analyze("""
            public static partial class Jobs
            {
                [ProcessParallel] public static void Many(List<ProcessQueue<int>> queues) { }
                [ProcessParallel] public static void Pair((ProcessQueue<int> Queue, int Count) pair) { }
                [ProcessParallel] public static void Each(IProgress<double>[] reporters) { }
                [ProcessParallel] public static void Nested(ProcessQueue<IProgress<int>> queue) { }
                [ProcessParallel] public static void Valid(ProcessQueue<List<int>> queue, IProgress<(int Done, int Total)> progress) { }
            }
            """);
        const string Tail = " is not supported: a ProcessQueue<T> or IProgress<T> can only be the declared type of a parameter, not a result or part of another type";
        result.AssertDiagnostics(
            ("PG0017", "List<ProcessQueue<int>>", "'ParallelGen.ProcessQueue<int>' in parameter 'queues'" + Tail),
            ("PG0017", "(ProcessQueue<int> Queue, int Count)", "'ParallelGen.ProcessQueue<int>' in parameter 'pair'" + Tail),
            ("PG0017", "IProgress<double>[]", "'System.IProgress<double>' in parameter 'reporters'" + Tail),
            ("PG0017", "ProcessQueue<IProgress<int>>", "'System.IProgress<int>' in parameter 'queue'" + Tail));
        result.AssertHandles("App.Jobs", "Valid");
    }

    [Test]
    public void Diagnostics_HaveHelpLinksToTheirPages()
    {
        var result = Analyze("""
            public partial class Jobs
            {
                [ProcessParallel] public int Square(int x) => x * x;
            }
            """);
        Assert.That(result.Diagnostics.Single().Descriptor.HelpLinkUri, Does.EndWith("/docs/diagnostics/PG0001.md"));
    }

    [Test]
    public void PragmaWarningDisable_SuppressesTheDiagnostic()
    {
        // Real locations (not trimmed copies in the model) are what make #pragma work (dotnet/runtime#92509).
        var result = Analyze("""
            public partial class Jobs
            {
            #pragma warning disable PG0001
                [ProcessParallel] public int Square(int x) => x * x;
            #pragma warning restore PG0001
            }
            """);
        Assert.That(result.Diagnostics.Where(d => !d.IsSuppressed), Is.Empty);
    }

    private static AnalysisResult Analyze(string body)
    {
        string source = $$"""
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using ParallelGen;

            namespace App;

            {{body}}
            """;
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source));
        Assert.That(run.Result.Diagnostics, Is.Empty, "the generator itself reports nothing for rule violations");

        // Rejected methods get no code, so no error may come from a generated file.
        var generatedErrors = GeneratorHarness.WithMemoryPackOutput(run.Output).GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true);
        Assert.That(generatedErrors.Select(d => d.ToString()), Is.Empty);

        var diagnostics = GeneratorHarness.GetAnalyzerDiagnostics(run.Output)
            .Where(d => d.Id.StartsWith("PG", System.StringComparison.Ordinal))
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToList();
        return new AnalysisResult(run, diagnostics);
    }

    private sealed record AnalysisResult(GeneratorRun Run, List<Diagnostic> Diagnostics)
    {
        public void AssertSingle(string id, string text, string message) => AssertDiagnostics((id, text, message));

        public void AssertDiagnostics(params (string Id, string Text, string Message)[] expected)
        {
            var actual = Diagnostics.Select(d => (d.Id, Text: d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan), Message: d.GetMessage(System.Globalization.CultureInfo.InvariantCulture))).ToList();
            Assert.That(actual, Is.EqualTo(expected));
            Assert.That(Diagnostics.Select(d => d.Severity), Is.All.EqualTo(DiagnosticSeverity.Error));
        }

        /// <summary>The type's generated file declares exactly these handles.</summary>
        public void AssertHandles(string type, params string[] handles)
        {
            string text = Run.Single.GeneratedSources.Single(s => s.HintName == type + ".ProcessParallel.g.cs").SourceText.ToString();
            var declared = System.Text.RegularExpressions.Regex.Matches(text, @"static readonly \S+(?:<[^=]*>)? (\w+) =").Select(m => m.Groups[1].Value);
            Assert.That(declared, Is.EquivalentTo(handles));
        }

        public void AssertNoFileFor(string type) =>
            Assert.That(Run.Single.GeneratedSources.Select(s => s.HintName), Has.None.EqualTo(type + ".ProcessParallel.g.cs"));
    }
}

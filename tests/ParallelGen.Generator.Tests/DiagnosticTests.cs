using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NUnit.Framework;
using ParallelGen.Generator.Tests.Infrastructure;
using static ParallelGen.Generator.Tests.Infrastructure.RuleAnalysis;

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
            ("PG0009", "List<object>", "The type 'System.Collections.Generic.List<object>' of parameter 'items' is not MemoryPack-serializable: 'object' is not supported; it says nothing about what the value holds, so nothing can serialize it; use a concrete type (a primitive, a supported collection or a [MemoryPackable] type)"),
            ("PG0009", "Plain", "The type 'App.Plain' of the result of 'App.Jobs.Make(int)' is not MemoryPack-serializable: 'App.Plain' is not supported; mark it [MemoryPackable] or use a supported type"),
            ("PG0009", "Func<int>", "The type 'System.Func<int>' of parameter 'f' is not MemoryPack-serializable: 'System.Func<int>' is not supported; a delegate's code and captured state cannot move to another process; pass the data it works on, or move its logic into the [ProcessParallel] method"),
            ("PG0009", "(int A, Dictionary<string, Plain> B)", "The type '(int A, System.Collections.Generic.Dictionary<string, App.Plain> B)' of parameter 'pair' is not MemoryPack-serializable: 'App.Plain' is not supported; mark it [MemoryPackable] or use a supported type"),
            ("PG0009", "Task<object>", "The type 'object' of the result of 'App.Jobs.LoadAsync(int)' is not MemoryPack-serializable: 'object' is not supported; it says nothing about what the value holds, so nothing can serialize it; use a concrete type (a primitive, a supported collection or a [MemoryPackable] type)"));
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
            ("PG0009", "ProcessQueue<object>", "The type 'ParallelGen.ProcessQueue<object>' of parameter 'queue' is not MemoryPack-serializable: 'object' is not supported; it says nothing about what the value holds, so nothing can serialize it; use a concrete type (a primitive, a supported collection or a [MemoryPackable] type)"),
            ("PG0009", "IProgress<Func<int>>", "The type 'System.IProgress<System.Func<int>>' of parameter 'progress' is not MemoryPack-serializable: 'System.Func<int>' is not supported; a delegate's code and captured state cannot move to another process; pass the data it works on, or move its logic into the [ProcessParallel] method"));
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
            ("PG0017", "ProcessQueue<int>", "'ParallelGen.ProcessQueue<int>' in the result of 'App.Jobs.Open()' is not supported: a ProcessQueue<T>, IProgress<T> or shared-state object (ProcessPipe, ProcessDictionary, ProcessList, ProcessLock, ProcessEvent, ProcessSemaphore, ProcessBarrier, SharedArray, SharedValue) can only be the declared type of a parameter, not a result or part of another type"),
            ("PG0017", "Task<IProgress<double>>", "'System.IProgress<double>' in the result of 'App.Jobs.TrackAsync(int)' is not supported: a ProcessQueue<T>, IProgress<T> or shared-state object (ProcessPipe, ProcessDictionary, ProcessList, ProcessLock, ProcessEvent, ProcessSemaphore, ProcessBarrier, SharedArray, SharedValue) can only be the declared type of a parameter, not a result or part of another type"),
            ("PG0017", "(int, ProcessQueue<int>)", "'ParallelGen.ProcessQueue<int>' in the result of 'App.Jobs.Pair(int)' is not supported: a ProcessQueue<T>, IProgress<T> or shared-state object (ProcessPipe, ProcessDictionary, ProcessList, ProcessLock, ProcessEvent, ProcessSemaphore, ProcessBarrier, SharedArray, SharedValue) can only be the declared type of a parameter, not a result or part of another type"));
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
        const string Tail = " is not supported: a ProcessQueue<T>, IProgress<T> or shared-state object (ProcessPipe, ProcessDictionary, ProcessList, ProcessLock, ProcessEvent, ProcessSemaphore, ProcessBarrier, SharedArray, SharedValue) can only be the declared type of a parameter, not a result or part of another type";
        result.AssertDiagnostics(
            ("PG0017", "List<ProcessQueue<int>>", "'ParallelGen.ProcessQueue<int>' in parameter 'queues'" + Tail),
            ("PG0017", "(ProcessQueue<int> Queue, int Count)", "'ParallelGen.ProcessQueue<int>' in parameter 'pair'" + Tail),
            ("PG0017", "IProgress<double>[]", "'System.IProgress<double>' in parameter 'reporters'" + Tail),
            ("PG0017", "ProcessQueue<IProgress<int>>", "'System.IProgress<int>' in parameter 'queue'" + Tail));
        result.AssertHandles("App.Jobs", "Valid");
    }

    [Test]
    public void PG0017_SharedStateObjectsOutsideAParameter_ReportOnTheType()
    {
        var result = Analyze("""
            public static partial class Jobs
            {
                [ProcessParallel] public static ProcessLock NewLock() => new();
                [ProcessParallel] public static SharedArray<double> NewArray(int n) => new(n);
                [ProcessParallel] public static void Many(ProcessPipe<int>[] ends) { }
                [ProcessParallel] public static void Pair((ProcessDictionary<int, int> Map, int N) pair) { }
                [ProcessParallel] public static void Nested(ProcessList<ProcessEvent> events) { }
                [ProcessParallel] public static void Valid(ProcessPipe<int> end, ProcessDictionary<int, string> map, SharedValue<long> count, ProcessBarrier barrier) { }
            }
            """);
        const string Tail = " is not supported: a ProcessQueue<T>, IProgress<T> or shared-state object (ProcessPipe, ProcessDictionary, ProcessList, ProcessLock, ProcessEvent, ProcessSemaphore, ProcessBarrier, SharedArray, SharedValue) can only be the declared type of a parameter, not a result or part of another type";
        result.AssertDiagnostics(
            ("PG0017", "ProcessLock", "'ParallelGen.ProcessLock' in the result of 'App.Jobs.NewLock()'" + Tail),
            ("PG0017", "SharedArray<double>", "'ParallelGen.SharedArray<double>' in the result of 'App.Jobs.NewArray(int)'" + Tail),
            ("PG0017", "ProcessPipe<int>[]", "'ParallelGen.ProcessPipe<int>' in parameter 'ends'" + Tail),
            ("PG0017", "(ProcessDictionary<int, int> Map, int N)", "'ParallelGen.ProcessDictionary<int, int>' in parameter 'pair'" + Tail),
            ("PG0017", "ProcessList<ProcessEvent>", "'ParallelGen.ProcessEvent' in parameter 'events'" + Tail));
        result.AssertHandles("App.Jobs", "Valid");
    }

    [Test]
    public void PG0009_SharedStateObjectOfUnserializableItem_NamesTheItem()
    {
        var result = Analyze("""
            public static partial class Jobs
            {
                [ProcessParallel] public static void Talk(ProcessPipe<object> end) { }
                [ProcessParallel] public static void Valid(ProcessPipe<string> end) { }
            }
            """);
        result.AssertDiagnostics(
            ("PG0009", "ProcessPipe<object>", "The type 'ParallelGen.ProcessPipe<object>' of parameter 'end' is not MemoryPack-serializable: 'object' is not supported; it says nothing about what the value holds, so nothing can serialize it; use a concrete type (a primitive, a supported collection or a [MemoryPackable] type)"));
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

    private const string HookTail = "; a NativeAOT app starts its pool workers by running its own executable again, so 'ParallelGen.ProcessWorker.RunIfWorker(args);' must be its first statement";

    private const string ClassicMain = """
        public static partial class Jobs
        {
            [ProcessParallel] public static int Square(int x) => x * x;
        }

        public static class Program
        {
            public static void Main(string[] args)
            {
                Console.WriteLine("parent");
            }

            // A neighbour that is not the entry point: never checked.
            public static void Run(string[] args) => Console.WriteLine(args.Length);
        }
        """;

    [Test]
    public void PG0018_MainWithoutHook_ReportsOnMainName()
    {
        var diagnostics = AnalyzeApp(ClassicMain);
        AssertHook(diagnostics, "Main", "The entry point 'Program.Main(string[])' does not call ParallelGen.ProcessWorker.RunIfWorker" + HookTail);
    }

    [Test]
    public void PG0018_MainWithHookFirst_ReportsNothing()
    {
        Assert.That(AnalyzeApp("""
            public static class Program
            {
                public static int Main(string[] argv)
                {
                    static int Exit() => 0; // a local function declaration runs nothing
                    ProcessWorker.RunIfWorker(argv);
                    Console.WriteLine("parent");
                    return Exit();
                }
            }
            """), Is.Empty);
        Assert.That(AnalyzeApp("""
            public static class Program
            {
                public static async Task Main(string[] args)
                {
                    global::ParallelGen.ProcessWorker.RunIfWorker(args);
                    await Task.Yield();
                }
            }
            """), Is.Empty);
    }

    [Test]
    public void PG0018_MainWithHookLater_ReportsThatItMustComeFirst()
    {
        var diagnostics = AnalyzeApp("""
            public static class Program
            {
                public static async Task Main(string[] args)
                {
                    Console.WriteLine("parent");
                    ProcessWorker.RunIfWorker(args);
                    await Task.Yield();
                }
            }
            """);
        AssertHook(diagnostics, "Main", "The entry point 'Program.Main(string[])' calls ParallelGen.ProcessWorker.RunIfWorker, but not first" + HookTail);
        Assert.That(diagnostics.Single().AdditionalLocations.Single().SourceTree!.GetText().ToString(diagnostics.Single().AdditionalLocations.Single().SourceSpan),
            Is.EqualTo("ProcessWorker.RunIfWorker(args);"), "the call the code fix moves");

        var nested = AnalyzeApp("""
            public static class Program
            {
                public static void Main(string[] args)
                {
                    if (args.Length > 0) ProcessWorker.RunIfWorker(args);
                }
            }
            """);
        AssertHook(nested, "Main", "The entry point 'Program.Main(string[])' calls ParallelGen.ProcessWorker.RunIfWorker, but not first" + HookTail);
        Assert.That(nested.Single().AdditionalLocations, Is.Empty, "a nested call is not moved");
    }

    [Test]
    public void PG0018_TopLevelStatementsWithoutHook_ReportsOnFirstStatement()
    {
        var diagnostics = AnalyzeApp("""
            int Twice(int x) => 2 * x;
            Console.WriteLine(Twice(args.Length));
            return 0;
            """);
        AssertHook(diagnostics, "Console.WriteLine(Twice(args.Length));", "The entry point (top-level statements) does not call ParallelGen.ProcessWorker.RunIfWorker" + HookTail);
    }

    [Test]
    public void PG0018_TopLevelStatements_HookFirstIsValid_HookLaterReportsFirst()
    {
        Assert.That(AnalyzeApp("""
            ProcessWorker.RunIfWorker(args);
            Console.WriteLine("parent");
            """), Is.Empty);

        var diagnostics = AnalyzeApp("""
            Console.WriteLine("parent");
            ProcessWorker.RunIfWorker(args);
            """);
        AssertHook(diagnostics, "Console.WriteLine(\"parent\");", "The entry point (top-level statements) calls ParallelGen.ProcessWorker.RunIfWorker, but not first" + HookTail);
    }

    [Test]
    public void PG0018_EachPublishProperty_ReportsAnErrorAndNamesTheMode()
    {
        foreach ((string property, string mode) in new[] { ("PublishAot", "NativeAOT"), ("PublishSingleFile", "single-file"), ("SelfContained", "self-contained") })
        {
            // Without warnings-as-errors: the severity a default build reports (the app must not build, let alone publish).
            var diagnostics = AnalyzeApp(ClassicMain, new Dictionary<string, string> { ["build_property." + property] = "True" }, warningsAsErrors: false);
            Assert.That(diagnostics.Single().GetMessage(System.Globalization.CultureInfo.InvariantCulture), Does.Contain($"; a {mode} app starts"), property);
            Assert.That(diagnostics.Single().Severity, Is.EqualTo(DiagnosticSeverity.Error), property);
        }

        Assert.That(AnalyzeApp(ClassicMain, OutputKind.WindowsApplication), Has.Count.EqualTo(1), "WinExe");
    }

    [Test]
    public void PG0018_NotAnAppOrNotPublishedOrNoParallelGen_ReportsNothing()
    {
        Assert.That(AnalyzeApp(ClassicMain, OutputKind.DynamicallyLinkedLibrary), Is.Empty, "library");
        Assert.That(AnalyzeApp(ClassicMain, new Dictionary<string, string>()), Is.Empty, "no property (a ProjectReference consumer without the props)");
        Assert.That(AnalyzeApp(ClassicMain, new Dictionary<string, string>
        {
            ["build_property.PublishAot"] = "false",
            ["build_property.PublishSingleFile"] = "",
            ["build_property.SelfContained"] = "false",
        }), Is.Empty, "properties false or empty");

        var noParallelGen = CSharpCompilation.Create(
            GeneratorHarness.AssemblyName,
            [CSharpSyntaxTree.ParseText("public static class Program { public static void Main(string[] args) { } }", GeneratorHarness.ParseOptions)],
            GeneratorHarness.References.Where(r => !(r.Display ?? "").EndsWith("ParallelGen.dll", System.StringComparison.Ordinal)),
            GeneratorHarness.CompilationOptions.WithOutputKind(OutputKind.ConsoleApplication));
        Assert.That(noParallelGen.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error), Is.Empty);
        Assert.That(GeneratorHarness.GetAnalyzerDiagnostics(noParallelGen, PublishAot), Is.Empty, "no ParallelGen reference");
    }

    [Test]
    public void PG0018_PragmaWarningDisable_SuppressesTheDiagnostic()
    {
        const string Program = """
            public static class Program
            {
            #pragma warning disable PG0018 // this app never starts a pool when published
                public static void Main(string[] args)
            #pragma warning restore PG0018
                {
                    Console.WriteLine("parent");
                }
            }
            """;
        Assert.That(AnalyzeApp(Program).Where(d => !d.IsSuppressed), Is.Empty);
        Assert.That(AnalyzeApp(Program.Replace("#pragma warning disable PG0018", "#pragma warning disable PG0001")), Has.Count.EqualTo(1), "control: reported without the pragma");
    }

    private static readonly Dictionary<string, string> PublishAot = new() { ["build_property.PublishAot"] = "true" };

    private static List<Diagnostic> AnalyzeApp(string body, OutputKind kind) => AnalyzeApp(body, PublishAot, kind);

    /// <summary>The PG0018 diagnostics of <paramref name="body"/> compiled as an app (after the generator ran), with no compiler error.</summary>
    private static List<Diagnostic> AnalyzeApp(
        string body, IReadOnlyDictionary<string, string>? globalOptions = null, OutputKind kind = OutputKind.ConsoleApplication, bool warningsAsErrors = true)
    {
        string source = $$"""
            using System;
            using System.Threading.Tasks;
            using ParallelGen;

            {{body}}
            """;
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(source);
        compilation = compilation.WithOptions(compilation.Options
            .WithOutputKind(kind)
            .WithGeneralDiagnosticOption(warningsAsErrors ? ReportDiagnostic.Error : ReportDiagnostic.Default));
        GeneratorRun run = GeneratorHarness.Run(compilation);
        Assert.That(run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()), Is.Empty);
        return GeneratorHarness.GetAnalyzerDiagnostics(run.Output, globalOptions ?? PublishAot)
            .Where(d => d.Id == "PG0018")
            .ToList();
    }

    private static void AssertHook(List<Diagnostic> diagnostics, string text, string message)
    {
        Diagnostic diagnostic = diagnostics.Single();
        // The descriptor's severity (the harness treats every warning as an error, as users' strict builds do).
        Assert.That(diagnostic.Descriptor.DefaultSeverity, Is.EqualTo(DiagnosticSeverity.Error));
        Assert.That(diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan), Is.EqualTo(text));
        Assert.That(diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(message));
        Assert.That(diagnostic.Descriptor.HelpLinkUri, Does.EndWith("/docs/diagnostics/PG0018.md"));
    }
}

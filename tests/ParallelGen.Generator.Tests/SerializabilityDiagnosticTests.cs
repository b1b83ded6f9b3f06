using System.Linq;
using NUnit.Framework;
using static ParallelGen.Generator.Tests.Infrastructure.RuleAnalysis;

namespace ParallelGen.Generator.Tests;

/// <summary>
/// PG0009's advice fits the type (only a type from the user's own source can be marked [MemoryPackable]), and a
/// [MemoryPackable] type that is not partial gets one clear error (PG0019) instead of errors inside generated code.
/// </summary>
[TestFixture]
public sealed class SerializabilityDiagnosticTests
{
    private const string Head = "is not MemoryPack-serializable: ";

    [Test]
    public void PG0009_FrameworkTypes_GetAdviceThatFitsThem()
    {
        var result = Analyze("""
            public static partial class Jobs
            {
                [ProcessParallel] public static long Size(System.IO.Stream data) => data.Length;
                [ProcessParallel] public static int Count(List<System.IO.MemoryStream> parts) => parts.Count;
                [ProcessParallel] public static int Fetch(System.Net.Http.HttpClient client) => 0;
                [ProcessParallel] public static int Send(System.Net.Sockets.Socket socket) => 0;
                [ProcessParallel] public static int Wait(Task<int> pending) => 0;
                [ProcessParallel] public static int Run(Action<int> callback) => 0;
                [ProcessParallel] public static int Match(System.Text.RegularExpressions.Regex pattern) => 0;
                [ProcessParallel] public static int Valid(byte[] data, string path) => 0;
            }
            """);
        const string Stream = "an open stream exists only in the process that opened it; pass a file path, or its bytes (byte[] or ReadOnlyMemory<byte>)";
        result.AssertDiagnostics(
            ("PG0009", "System.IO.Stream", "The type 'System.IO.Stream' of parameter 'data' " + Head + "'System.IO.Stream' is not supported; " + Stream),
            ("PG0009", "List<System.IO.MemoryStream>", "The type 'System.Collections.Generic.List<System.IO.MemoryStream>' of parameter 'parts' " + Head + "'System.IO.MemoryStream' is not supported; " + Stream),
            ("PG0009", "System.Net.Http.HttpClient", "The type 'System.Net.Http.HttpClient' of parameter 'client' " + Head + "'System.Net.Http.HttpClient' is not supported; "
                + "it comes from 'System.Net.Http' and holds a resource (a connection, a handle) that exists only in the process that made it; create it inside the [ProcessParallel] method and pass what it needs (a path, a URL, settings)"),
            ("PG0009", "System.Net.Sockets.Socket", "The type 'System.Net.Sockets.Socket' of parameter 'socket' " + Head + "'System.Net.Sockets.Socket' is not supported; "
                + "it comes from 'System.Net.Sockets' and holds a resource (a connection, a handle) that exists only in the process that made it; create it inside the [ProcessParallel] method and pass what it needs (a path, a URL, settings)"),
            ("PG0009", "Task<int>", "The type 'System.Threading.Tasks.Task<int>' of parameter 'pending' " + Head + "'System.Threading.Tasks.Task<int>' is not supported; "
                + "a task is work running in this process; await it before the call and pass its result"),
            ("PG0009", "Action<int>", "The type 'System.Action<int>' of parameter 'callback' " + Head + "'System.Action<int>' is not supported; "
                + "a delegate's code and captured state cannot move to another process; pass the data it works on, or move its logic into the [ProcessParallel] method"),
            ("PG0009", "System.Text.RegularExpressions.Regex", "The type 'System.Text.RegularExpressions.Regex' of parameter 'pattern' " + Head + "'System.Text.RegularExpressions.Regex' is not supported; "
                + "it comes from 'System.Text.RegularExpressions', so it cannot be marked [MemoryPackable]; copy what the worker needs into a [MemoryPackable] type of your own (a DTO) or into supported types"));
        result.AssertHandles("App.Jobs", "Valid");
    }

    [Test]
    public void PG0009_FrameworkResultTypes_GetAdviceAboutWhatToReturn()
    {
        var result = Analyze("""
            public static partial class Jobs
            {
                [ProcessParallel] public static Task<System.IO.Stream> OpenAsync(string path) => Task.FromResult<System.IO.Stream>(System.IO.File.OpenRead(path));
                [ProcessParallel] public static Task<Task<int>> StartAsync(int x) => Task.FromResult(Task.FromResult(x));
                [ProcessParallel] public static Func<int> MakeCounter(int start) => () => start;
                [ProcessParallel] public static System.Net.Http.HttpClient Connect(string url) => new();
                [ProcessParallel] public static System.Text.RegularExpressions.Regex Compile(string pattern) => new(pattern);
                [ProcessParallel] public static byte[] Read(string path) => System.IO.File.ReadAllBytes(path);
            }
            """);
        result.AssertDiagnostics(
            ("PG0009", "Task<System.IO.Stream>", "The type 'System.IO.Stream' of the result of 'App.Jobs.OpenAsync(string)' " + Head + "'System.IO.Stream' is not supported; "
                + "an open stream exists only in the process that opened it; return a file path, or its bytes (byte[] or ReadOnlyMemory<byte>)"),
            ("PG0009", "Task<Task<int>>", "The type 'System.Threading.Tasks.Task<int>' of the result of 'App.Jobs.StartAsync(int)' " + Head + "'System.Threading.Tasks.Task<int>' is not supported; "
                + "a task is work running in the worker; await it inside the method and return its result"),
            ("PG0009", "Func<int>", "The type 'System.Func<int>' of the result of 'App.Jobs.MakeCounter(int)' " + Head + "'System.Func<int>' is not supported; "
                + "a delegate's code and captured state cannot move to another process; return the data it would work on"),
            ("PG0009", "System.Net.Http.HttpClient", "The type 'System.Net.Http.HttpClient' of the result of 'App.Jobs.Connect(string)' " + Head + "'System.Net.Http.HttpClient' is not supported; "
                + "it comes from 'System.Net.Http' and holds a resource (a connection, a handle) that exists only in the process that made it; return what the caller needs to make its own (a path, a URL, settings)"),
            ("PG0009", "System.Text.RegularExpressions.Regex", "The type 'System.Text.RegularExpressions.Regex' of the result of 'App.Jobs.Compile(string)' " + Head + "'System.Text.RegularExpressions.Regex' is not supported; "
                + "it comes from 'System.Text.RegularExpressions', so it cannot be marked [MemoryPackable]; copy what the caller needs into a [MemoryPackable] type of your own (a DTO) or into supported types"));
        result.AssertHandles("App.Jobs", "Read");
    }

    [Test]
    public void PG0009_TypesFromSource_AreToldToMarkThemMemoryPackable()
    {
        var result = Analyze("""
            public sealed class Plain { public int X { get; set; } }
            public struct Holder { public string Name; }

            public static partial class Jobs
            {
                [ProcessParallel] public static int Use(Plain plain) => plain.X;
                [ProcessParallel] public static Holder[] Make(int n) => new Holder[n];
                [ProcessParallel] public static int Valid(int x) => x;
            }
            """);
        const string Mark = "mark it [MemoryPackable] or use a supported type";
        result.AssertDiagnostics(
            ("PG0009", "Plain", "The type 'App.Plain' of parameter 'plain' " + Head + "'App.Plain' is not supported; " + Mark),
            ("PG0009", "Holder[]", "The type 'App.Holder[]' of the result of 'App.Jobs.Make(int)' " + Head + "'App.Holder' is not supported; " + Mark));
        result.AssertHandles("App.Jobs", "Valid");
    }

    [Test]
    public void PG0019_MemoryPackableButNotPartial_OneErrorAboutTheType_NoErrorInGeneratedCode()
    {
        // MemoryPack's generator reports MEMPACK001 (type) and MEMPACK042 (containing type) and adds no serializer; the
        // dispatch table would have named Register<Job>() and failed with CS0311 inside ParallelGen.WorkerDispatch.g.cs.
        var result = Analyze(
            """
            [MemoryPack.MemoryPackable]
            public sealed class Job { public int X { get; set; } }

            public class Outer
            {
                [MemoryPack.MemoryPackable]
                public partial record Inner(int X);
            }

            public static partial class Jobs
            {
                [ProcessParallel] public static int Run(Job job) => job.X;
                [ProcessParallel] public static int Many(List<Job> jobs) => jobs.Count;
                [ProcessParallel] public static Outer.Inner Make(int x) => new(x);
                [ProcessParallel] public static int Valid(int x) => x;
            }
            """,
            "MEMPACK001",
            "MEMPACK042");
        const string Tail = " not partial, so MemoryPack cannot add its serializer; add the 'partial' modifier";
        result.AssertDiagnostics(
            ("PG0019", "Job", "'App.Job' in parameter 'job' is marked [MemoryPackable], but it is" + Tail),
            ("PG0019", "List<Job>", "'App.Job' in parameter 'jobs' is marked [MemoryPackable], but it is" + Tail),
            ("PG0019", "Outer.Inner", "'App.Outer.Inner' in the result of 'App.Jobs.Make(int)' is marked [MemoryPackable], but its containing type 'App.Outer' is" + Tail));
        result.AssertHandles("App.Jobs", "Valid");
        Assert.That(result.Run.Single.GeneratedSources.Single(s => s.HintName == "ParallelGen.WorkerDispatch.g.cs").SourceText.ToString(), Does.Not.Contain("global::App.Job>"));
    }
}

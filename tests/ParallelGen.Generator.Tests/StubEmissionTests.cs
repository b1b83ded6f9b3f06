using NUnit.Framework;
using ParallelGen.Generator.Tests.Infrastructure;

namespace ParallelGen.Generator.Tests;

/// <summary>The emitted <c>Remote</c> class and dispatch table for every method shape, as snapshots.</summary>
[TestFixture]
public sealed class StubEmissionTests
{
    [Test]
    public void OneParameter_EmitsRemoteFuncOfArgAndResult() => Verify("""
        [ProcessParallel] public static int Square(int x) => x * x;
        """);

    [Test]
    public void NoParameters_EmitsRemoteFuncOfResult() => Verify("""
        [ProcessParallel] public static int Seed() => 42;
        """);

    [Test]
    public void TwoParameters_EmitsNamedTupleArguments() => Verify("""
        [ProcessParallel] public static double Dot(double[] a, double[] b)
        {
            double sum = 0;
            for (int i = 0; i < a.Length; i++)
            {
                sum += a[i] * b[i];
            }

            return sum;
        }
        """);

    [Test]
    public void NineParameters_UsesItemNBeyondSeven() => Verify("""
        [ProcessParallel]
        public static long Sum(int a, int b, int c, int d, int e, int f, int g, int h, long i) => a + b + c + d + e + f + g + h + i;
        """);

    [Test]
    public void ReservedParameterNames_FallBackToUnnamedTuple() => Verify("""
        [ProcessParallel] public static int Pick(int Item2, int Rest) => Item2 + Rest;
        """);

    [Test]
    public void KeywordNames_AreEscaped() => Verify("""
        [ProcessParallel] public static int @checked(int @class, string @event) => @class + @event.Length;
        """);

    [Test]
    public void VoidMethods_EmitRemoteAction() => Verify("""
        [ProcessParallel] public static void Touch(string path) => System.IO.File.WriteAllText(path, "x");
        [ProcessParallel] public static void Ping() { }
        [ProcessParallel] public static void Log(string message, int level) => Console.WriteLine($"{level}: {message}");
        """);

    [Test]
    public void AsyncResults_AreUnwrapped() => Verify("""
        [ProcessParallel] public static async Task<string> FetchAsync(string key) { await Task.Yield(); return key; }
        [ProcessParallel] public static Task FlushAsync(int n) => Task.Delay(n);
        [ProcessParallel] public static ValueTask<int> CountAsync(string text) => new(text.Length);
        [ProcessParallel] public static ValueTask ResetAsync() => default;
        [ProcessParallel] public static Task<int> SeedAsync() => Task.FromResult(1);
        """);

    [Test]
    public void CancellationToken_IsPassedFromTheWorker() => Verify("""
        [ProcessParallel] public static int Spin(int ms, CancellationToken ct) { ct.ThrowIfCancellationRequested(); return ms; }
        [ProcessParallel] public static int Wait(CancellationToken cancellationToken) => cancellationToken.IsCancellationRequested ? 0 : 1;
        [ProcessParallel] public static Task DrainAsync(string queue, int max, CancellationToken ct) => Task.Delay(max, ct);
        [ProcessParallel] public static void Stop(CancellationToken ct) => ct.ThrowIfCancellationRequested();
        """);

    [Test]
    public void NullableAnnotations_AreKept() => Verify("""
        [ProcessParallel] public static string? Describe(string? name, int? age) => name is null ? null : $"{name} {age}";
        [ProcessParallel] public static int Length(string? text) => text?.Length ?? 0;
        [ProcessParallel] public static List<string?> Wrap(List<string?> items, string[]? extra) => items;
        """);

    [Test]
    public void CollectionsAndTuples_AreSerializable() => Verify("""
        [ProcessParallel] public static Dictionary<string, List<int>> Group(List<(string Key, int Value)> pairs) => new();
        [ProcessParallel] public static (int Count, double Mean) Stats(IReadOnlyList<double> values, HashSet<Guid> ids) => (values.Count, 0);
        [ProcessParallel] public static DateTime Shift(DateTime at, TimeSpan by, DayOfWeek day) => at + by;
        [ProcessParallel] public static int[,] Grid(int[][] rows, decimal scale) => new int[1, 1];
        """);

    [Test]
    public void ProcessQueueParameter_IsWrittenAsAnyOtherArgument() => Verify("""
        [ProcessParallel] public static void Produce(ProcessQueue<int> queue) => queue.Put(1);
        [ProcessParallel] public static int Fill(ProcessQueue<int> queue, int count) { for (int i = 0; i < count; i++) queue.Put(i); return count; }
        """);

    [Test]
    public void ProgressParameter_IsWrittenAsAnyOtherArgument() => Verify("""
        [ProcessParallel] public static void Report(IProgress<double> progress) => progress.Report(1.0);
        [ProcessParallel] public static async Task<int> WorkAsync(IProgress<double> progress, int steps) { await Task.Yield(); progress.Report(1.0); return steps; }
        """);

    [Test]
    public void SharedStateParameters_AreWrittenAsAnyOtherArgument() => Verify("""
        [ProcessParallel] public static int Converse(ProcessPipe<string> end, ProcessPipe<int, string> requests) => end.Receive().Length;
        [ProcessParallel] public static void Record(ProcessDictionary<string, List<int>> results, ProcessList<(int, double)> log, int key) { }
        [ProcessParallel] public static bool Coordinate(ProcessLock gate, ProcessEvent ready, ProcessSemaphore slots, ProcessBarrier meet) => ready.Wait(TimeSpan.Zero);
        [ProcessParallel] public static void Fill(SharedArray<double> data, SharedValue<long> count, int start, int end) { }
        """);

    [Test]
    public void QueueProgressAndToken_Together() => Verify("""
        [ProcessParallel]
        public static long Crunch(string name, ProcessQueue<List<int>> results, IProgress<double> progress, int[] data, CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            results.Put(new List<int>(data));
            progress.Report(1.0);
            return name.Length;
        }

        [ProcessParallel]
        public static Task ForwardAsync(ProcessQueue<string> queue, IProgress<(int Done, int Total)> progress, CancellationToken ct) => Task.CompletedTask;
        """);

    [Test]
    public void MemoryPackableTypes_AreSerializable() => VerifySource("""
        using System.Collections.Generic;
        using MemoryPack;
        using ParallelGen;

        namespace App;

        [MemoryPackable]
        public partial record Job(string Name, int Size);

        public readonly record struct Point3(double X, double Y, double Z);

        [MemoryPackable]
        [MemoryPackUnion(0, typeof(Circle))]
        public partial interface IShape { }

        [MemoryPackable]
        public partial class Circle : IShape { public double Radius { get; set; } }

        public static partial class Jobs
        {
            [ProcessParallel] public static Job Run(Job job, List<Job> others) => job;
            [ProcessParallel] public static Point3[] Move(Point3[] points) => points;
            [ProcessParallel] public static double Area(IShape shape) => 0;
        }
        """);

    [Test]
    public void FormatterRegistrations_CoverEveryClosedTypeOnce() => VerifySource("""
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Collections.Immutable;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using MemoryPack;
        using ParallelGen;

        namespace App;

        public enum Color { Red, Green }

        [MemoryPackable]
        public partial record Job(string Name, int Size);

        [MemoryPackable]
        public partial class Box<T> { public T? Value { get; set; } }

        public readonly record struct Point3(double X, double Y, double Z);

        // No generated formatter (the user registers one), so no Register<Manual>() either.
        [MemoryPackable(GenerateType.NoGenerate)]
        public partial class Manual { }

        public static partial class Jobs
        {
            [ProcessParallel] public static Dictionary<string, List<Job>> Group(List<Job> jobs, Color color, List<Manual> manual) => new();
            [ProcessParallel] public static (int Count, string? Name) Pair((int A, string? B) input, int? maybe, Color[] colors) => input;
            [ProcessParallel] public static Task<List<string?>> NamesAsync(List<string> names, string[] more, Point3[] points, int[,] grid) => Task.FromResult(new List<string?>());
            [ProcessParallel] public static Box<Tuple<int, Guid>> Wrap(KeyValuePair<string, Lazy<int>> pair, IReadOnlyList<ImmutableArray<long>> rows) => new();
            [ProcessParallel] public static void Channels(ProcessQueue<HashSet<Color>> queue, IProgress<(int Done, int Total)> progress, CancellationToken ct) { }
            [ProcessParallel] public static (int, int, int, int, int, int, int, int, string) Wide(ConcurrentDictionary<int, Memory<byte>> map, ILookup<string, int> lookup) => default;
        }
        """);

    [Test]
    public void FormatterRegistrations_UnmanagedStructsArraysAndUnions() => VerifySource("""
        using System;
        using System.Collections.Generic;
        using MemoryPack;
        using ParallelGen;

        namespace App;

        public enum Color { Red, Green }

        public readonly record struct Point3(double X, double Y, double Z);

        public struct Pair<T> where T : unmanaged { public T First; public T Second; }

        [MemoryPackable]
        [MemoryPackUnion(0, typeof(Circle))]
        public partial interface IShape { }

        [MemoryPackable]
        public partial class Circle : IShape { public double Radius { get; set; } }

        [MemoryPackable]
        [MemoryPackUnion(0, typeof(Square))]
        public abstract partial class Shape { }

        [MemoryPackable]
        public partial class Square : Shape { public double Side { get; set; } }

        public static partial class Jobs
        {
            // Built-in unmanaged types and their arrays (int, Guid, Vector3) need nothing; user structs and enums do.
            [ProcessParallel] public static Point3 Move(Point3 point, Pair<int> pair, Point3? maybe, int[] ints, Guid[] ids, System.Numerics.Vector3[] vectors) => point;
            [ProcessParallel] public static Color[] Paint(Color[] colors, Point3[] points, Pair<long>[] pairs, List<Point3> list) => colors;
            [ProcessParallel] public static IShape[] Shapes(IShape shape, List<IShape> shapes, Shape other, Shape[] others) => [shape];
        }
        """);

    [Test]
    public void XmlDocSummary_IsCarriedToTheHandle() => Verify("""
        /// <summary>
        /// Squares <paramref name="x"/> and returns the <see cref="int"/> result.
        /// Second line with &lt;escaped&gt; text.
        /// </summary>
        /// <param name="x">The value.</param>
        [ProcessParallel] public static int Square(int x) => x * x;

        /// <param name="x">No summary here: the default one is used.</param>
        [ProcessParallel] public static int Cube(int x) => x * x * x;
        """);

    [Test]
    public void Overloads_GetDefaultSummaryWithUnambiguousCref() => Verify("""
        [ProcessParallel] public static int Square(int x) => x * x;
        public static long Square(long x) => x * x;
        """);

    [Test]
    public void PrivateAndProtectedMethods_GetInternalHandles() => VerifySource("""
        using ParallelGen;

        namespace App;

        public partial class Jobs
        {
            [ProcessParallel] private static int Hidden(int x) => x;
            [ProcessParallel] internal static int Inside(int x) => x;
            [ProcessParallel] protected static int Guarded(int x) => x;
            [ProcessParallel] protected internal static int Mixed(int x) => x;
            [ProcessParallel] private protected static int Narrow(int x) => x;
            [ProcessParallel] public static int Open(int x) => x;
        }
        """);

    [Test]
    public void NestedTypes_ReopenTheWholeHierarchy() => VerifySource("""
        using ParallelGen;

        namespace App.Deep.Er;

        public partial class Outer
        {
            internal partial struct Middle
            {
                public partial record Inner
                {
                    [ProcessParallel] public static int Twice(int x) => 2 * x;
                }
            }

            [ProcessParallel] public static int Once(int x) => x;
        }
        """);

    [Test]
    public void GlobalNamespace_HasNoNamespaceBlock() => VerifySource("""
        using ParallelGen;

        public static partial class Jobs
        {
            [ProcessParallel] public static int Square(int x) => x * x;
        }
        """);

    [Test]
    public void RecordsStructsAndInterfaces_AsContainingTypes() => VerifySource("""
        using ParallelGen;

        namespace App;

        public partial record Settings(int Level)
        {
            [ProcessParallel] public static int Clamp(int level) => level;
        }

        public partial record struct Cell(int X)
        {
            [ProcessParallel] public static int Next(int x) => x + 1;
        }

        public partial struct Counter
        {
            [ProcessParallel] public static int Add(int a, int b) => a + b;
        }

        public partial interface ICalculator
        {
            [ProcessParallel] public static int Negate(int x) => -x;
        }
        """);

    [Test]
    public void BaseAndDerivedTypes_DerivedRemoteHidesBaseRemote() => VerifySource("""
        using ParallelGen;

        namespace App;

        public partial class BaseJobs
        {
            [ProcessParallel] public static int One() => 1;
        }

        public partial class DerivedJobs : BaseJobs
        {
            [ProcessParallel] public static int Two() => 2;
        }
        """);

    [Test]
    public void SeveralTypesAndFiles_OneFilePerTypeAndOneDispatchTable()
    {
        GeneratorRun run = GeneratorHarness.RunClean(
            """
            using ParallelGen;
            namespace App;
            public static partial class Jobs { [ProcessParallel] public static int A(int x) => x; }
            """,
            """
            using ParallelGen;
            namespace App;
            public static partial class Jobs { [ProcessParallel] public static int B(int x) => x; }
            public static partial class Other { [ProcessParallel] public static void C() { } }
            """);
        Snapshot.Verify(run);
    }

    private static void Verify(string members, bool expectValid = true) => VerifySource(TestSource.Jobs(members), expectValid);

    private static void VerifySource(string source, bool expectValid = true)
    {
        GeneratorRun run = expectValid
            ? GeneratorHarness.RunClean(source)
            : GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source));
        Snapshot.Verify(run);
    }
}

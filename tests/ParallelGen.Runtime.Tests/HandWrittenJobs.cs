using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using MemoryPack;
using ParallelGen.Generated;
using ParallelGen.Serialization;

namespace ParallelGen.Runtime.Tests;

/// <summary>
/// Methods for runtime tests, with handles written by hand in exactly the shape the generator emits, so the
/// runtime is tested on its own (the generator has its own tests, and the integration tests use both).
/// </summary>
public static class HandWrittenJobs
{
    public static int Square(int x) => x * x;

    public static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    public static int ProcessId() => Environment.ProcessId;

    public static int Fail(string message) => throw new InvalidOperationException(message, new ArgumentException("inner " + message));

    public static async Task<string> EchoAsync(string text)
    {
        await Task.Yield();
        return "echo:" + text;
    }

    public static void Print(string text) => Console.WriteLine(text);

    public static int Crash(int exitCode)
    {
        Environment.Exit(exitCode);
        return 0;
    }

    /// <summary>Returns <paramref name="x"/>, except that the worker exits with code 13 for 13.</summary>
    public static int ExitOn13(int x)
    {
        if (x == 13)
        {
            Environment.Exit(13);
        }

        return x;
    }

    /// <summary>Returns <paramref name="x"/>, except that it throws for 7.</summary>
    public static int ThrowOn7(int x) => x == 7 ? throw new ArgumentOutOfRangeException(nameof(x), "seven is not allowed") : x;

    private static string? s_greeting;
    private static ProcessPool? s_innerPool;

    public static void SetGreeting(string greeting) => s_greeting = greeting ?? throw new ArgumentNullException(nameof(greeting));

    public static string GetGreeting() => s_greeting ?? "(no initializer ran)";

    public static void FailingInitializer() => throw new InvalidOperationException("the native library is missing");

    /// <summary>Exits with code 3 the first time (marked by creating <paramref name="marker"/>), then returns 42.</summary>
    public static int CrashOnce(string marker)
    {
        if (!System.IO.File.Exists(marker))
        {
            System.IO.File.WriteAllText(marker, "crashed once");
            Environment.Exit(3);
        }

        return 42;
    }

    /// <summary>Dies in the way named: "failfast", "kill" (SIGKILL to itself) or "stackoverflow".</summary>
    public static int Die(string how)
    {
        switch (how)
        {
            case "failfast":
                Environment.FailFast("deliberate failure");
                break;
            case "kill":
                System.Diagnostics.Process.GetCurrentProcess().Kill();
                break;
            case "stackoverflow":
                return Recurse(0);
        }

        return 0;
    }

    private static int Recurse(int depth) => Recurse(depth + 1) + 1;

    /// <summary>Opens a pool inside this worker and returns (this worker's pid, the inner worker's pid, inner result).</summary>
    public static (int Outer, int Inner, int Square) NestedPool(int x)
    {
        s_innerPool ??= new ProcessPool(1);
        return (Environment.ProcessId, s_innerPool.Apply(Remote.ProcessId), s_innerPool.Apply(Remote.Square, x));
    }

    /// <summary>Returns 0 at once for 0; for anything else blocks until cancelled.</summary>
    public static int BlockUnlessZero(int x, CancellationToken cancellationToken)
    {
        if (x != 0)
        {
            cancellationToken.WaitHandle.WaitOne();
            cancellationToken.ThrowIfCancellationRequested();
        }

        return x;
    }

    /// <summary>Puts <paramref name="count"/> numbers from <paramref name="start"/> into the caller's queue.</summary>
    public static int Produce(ProcessQueue<int> queue, int start, int count)
    {
        for (int i = start; i < start + count; i++)
        {
            queue.Put(i);
        }

        return count;
    }

    /// <summary>Tries to read from the caller's queue inside the worker (not allowed).</summary>
    public static int ReadInWorker(ProcessQueue<int> queue) => queue.Get();

    /// <summary>Reports 1..<paramref name="steps"/> to the caller's progress object.</summary>
    public static int Work(IProgress<int> progress, int steps)
    {
        for (int i = 1; i <= steps; i++)
        {
            progress.Report(i);
        }

        return steps;
    }

    public static bool InWorker() => ProcessWorker.IsWorker;

    private static volatile bool s_formattersRegistered;

    /// <summary>Whether this process has run the formatter registrations this assembly hands over (see <see cref="Register"/>).</summary>
    public static bool FormattersRegistered() => s_formattersRegistered;

    /// <summary>The simple names of the assemblies loaded in this process.</summary>
    public static string[] LoadedAssemblies() => Array.ConvertAll(AppDomain.CurrentDomain.GetAssemblies(), assembly => assembly.GetName().Name ?? "");

    /// <summary>Whether MemoryPack's assembly is loaded in this process.</summary>
    public static bool MemoryPackLoaded() => Array.Exists(AppDomain.CurrentDomain.GetAssemblies(), assembly => assembly.GetName().Name == "MemoryPack.Core");

    /// <summary>The names the kernel knows this process's threads by (/proc/self/task/*/comm, at most 15 characters).</summary>
    public static string[] ThreadNames() =>
        Array.ConvertAll(System.IO.Directory.GetDirectories("/proc/self/task"), task => System.IO.File.ReadAllText(task + "/comm").TrimEnd('\n'));

    /// <summary>The trace id of the activity the call runs under, or "none".</summary>
    public static string CurrentTraceId() => System.Diagnostics.Activity.Current?.TraceId.ToHexString() ?? "none";

    /// <summary>Announces that it runs, then blocks until the caller cancels.</summary>
    public static int WaitForCancellation(string announce, CancellationToken cancellationToken)
    {
        Console.WriteLine(announce);
        cancellationToken.WaitHandle.WaitOne();
        cancellationToken.ThrowIfCancellationRequested();
        return 0;
    }

    public static class Remote
    {
        private static readonly HandWrittenHandles Handles = new(typeof(HandWrittenJobs));

        public static readonly RemoteFunc<int, int> Square = Handles.Func<int, int>(
            nameof(HandWrittenJobs.Square),
            "(int) -> int",
            static (args, cancellationToken) => new ValueTask<int>(HandWrittenJobs.Square(args)));

        public static readonly RemoteFunc<(double[] a, double[] b), double> Dot = new(
            Handles.Info(nameof(HandWrittenJobs.Dot), "(double[], double[]) -> double"),
            static (ref MemoryPackWriter<PayloadBuffer> writer, (double[] a, double[] b) args) =>
            {
                writer.WriteValue(args.Item1);
                writer.WriteValue(args.Item2);
            },
            static (ref MemoryPackReader reader) => (reader.ReadValue<double[]>()!, reader.ReadValue<double[]>()!),
            static (args, cancellationToken) => new ValueTask<double>(HandWrittenJobs.Dot(args.Item1, args.Item2)));

        public static readonly RemoteFunc<int> ProcessId = Handles.Func<int>(
            nameof(HandWrittenJobs.ProcessId),
            "() -> int",
            static cancellationToken => new ValueTask<int>(HandWrittenJobs.ProcessId()));

        public static readonly RemoteFunc<string, int> Fail = Handles.Func<string, int>(
            nameof(HandWrittenJobs.Fail),
            "(string) -> int",
            static (args, cancellationToken) => new ValueTask<int>(HandWrittenJobs.Fail(args)));

        public static readonly RemoteFunc<string, string> EchoAsync = Handles.Func<string, string>(
            nameof(HandWrittenJobs.EchoAsync),
            "(string) -> System.Threading.Tasks.Task<string>",
            static (args, cancellationToken) => new ValueTask<string>(HandWrittenJobs.EchoAsync(args)));

        public static readonly RemoteAction<string> Print = Handles.Action<string>(
            nameof(HandWrittenJobs.Print),
            "(string) -> void",
            static (args, cancellationToken) =>
            {
                HandWrittenJobs.Print(args);
                return default;
            });

        public static readonly RemoteFunc<int, int> Crash = Handles.Func<int, int>(
            nameof(HandWrittenJobs.Crash),
            "(int) -> int",
            static (args, cancellationToken) => new ValueTask<int>(HandWrittenJobs.Crash(args)));

        public static readonly RemoteFunc<int, int> ExitOn13 = Handles.Func<int, int>(
            nameof(HandWrittenJobs.ExitOn13),
            "(int) -> int",
            static (args, cancellationToken) => new ValueTask<int>(HandWrittenJobs.ExitOn13(args)));

        public static readonly RemoteFunc<int, int> ThrowOn7 = Handles.Func<int, int>(
            nameof(HandWrittenJobs.ThrowOn7),
            "(int) -> int",
            static (args, cancellationToken) => new ValueTask<int>(HandWrittenJobs.ThrowOn7(args)));

        public static readonly RemoteAction<string> SetGreeting = Handles.Action<string>(
            nameof(HandWrittenJobs.SetGreeting),
            "(string) -> void",
            static (args, cancellationToken) =>
            {
                HandWrittenJobs.SetGreeting(args);
                return default;
            });

        public static readonly RemoteFunc<string> GetGreeting = Handles.Func<string>(
            nameof(HandWrittenJobs.GetGreeting),
            "() -> string",
            static cancellationToken => new ValueTask<string>(HandWrittenJobs.GetGreeting()));

        public static readonly RemoteAction FailingInitializer = Handles.Action(
            nameof(HandWrittenJobs.FailingInitializer),
            "() -> void",
            static cancellationToken =>
            {
                HandWrittenJobs.FailingInitializer();
                return default;
            });

        public static readonly RemoteFunc<string, int> CrashOnce = Handles.Func<string, int>(
            nameof(HandWrittenJobs.CrashOnce),
            "(string) -> int",
            static (args, cancellationToken) => new ValueTask<int>(HandWrittenJobs.CrashOnce(args)));

        public static readonly RemoteFunc<string, int> Die = Handles.Func<string, int>(
            nameof(HandWrittenJobs.Die),
            "(string) -> int",
            static (args, cancellationToken) => new ValueTask<int>(HandWrittenJobs.Die(args)));

        public static readonly RemoteFunc<int, (int Outer, int Inner, int Square)> NestedPool = Handles.Func<int, (int Outer, int Inner, int Square)>(
            nameof(HandWrittenJobs.NestedPool),
            "(int) -> (int, int, int)",
            static (args, cancellationToken) => new ValueTask<(int Outer, int Inner, int Square)>(HandWrittenJobs.NestedPool(args)));

        public static readonly RemoteFunc<int, int> BlockUnlessZero = Handles.Func<int, int>(
            nameof(HandWrittenJobs.BlockUnlessZero),
            "(int, System.Threading.CancellationToken) -> int",
            static (args, cancellationToken) => new ValueTask<int>(HandWrittenJobs.BlockUnlessZero(args, cancellationToken)));

        public static readonly RemoteFunc<(ProcessQueue<int> queue, int start, int count), int> Produce = new(
            Handles.Info(nameof(HandWrittenJobs.Produce), "(ParallelGen.ProcessQueue<int>, int, int) -> int"),
            static (ref MemoryPackWriter<PayloadBuffer> writer, (ProcessQueue<int> queue, int start, int count) args) =>
            {
                writer.WriteValue(args.Item1);
                writer.WriteValue(args.Item2);
                writer.WriteValue(args.Item3);
            },
            static (ref MemoryPackReader reader) => (reader.ReadValue<ProcessQueue<int>>()!, reader.ReadValue<int>()!, reader.ReadValue<int>()!),
            static (args, cancellationToken) => new ValueTask<int>(HandWrittenJobs.Produce(args.Item1, args.Item2, args.Item3)));

        public static readonly RemoteFunc<ProcessQueue<int>, int> ReadInWorker = new(
            Handles.Info(nameof(HandWrittenJobs.ReadInWorker), "(ParallelGen.ProcessQueue<int>) -> int"),
            static (ref MemoryPackWriter<PayloadBuffer> writer, ProcessQueue<int> args) => writer.WriteValue(args),
            static (ref MemoryPackReader reader) => reader.ReadValue<ProcessQueue<int>>()!,
            static (args, cancellationToken) => new ValueTask<int>(HandWrittenJobs.ReadInWorker(args)));

        public static readonly RemoteFunc<(IProgress<int> progress, int steps), int> Work = new(
            Handles.Info(nameof(HandWrittenJobs.Work), "(System.IProgress<int>, int) -> int"),
            static (ref MemoryPackWriter<PayloadBuffer> writer, (IProgress<int> progress, int steps) args) =>
            {
                writer.WriteValue(args.Item1);
                writer.WriteValue(args.Item2);
            },
            static (ref MemoryPackReader reader) => (reader.ReadValue<IProgress<int>>()!, reader.ReadValue<int>()!),
            static (args, cancellationToken) => new ValueTask<int>(HandWrittenJobs.Work(args.Item1, args.Item2)));

        public static readonly RemoteFunc<bool> InWorker = Handles.Func<bool>(
            nameof(HandWrittenJobs.InWorker),
            "() -> bool",
            static cancellationToken => new ValueTask<bool>(HandWrittenJobs.InWorker()));

        public static readonly RemoteFunc<bool> FormattersRegistered = Handles.Func<bool>(
            nameof(HandWrittenJobs.FormattersRegistered),
            "() -> bool",
            static cancellationToken => new ValueTask<bool>(HandWrittenJobs.FormattersRegistered()));

        public static readonly RemoteFunc<string[]> LoadedAssemblies = Handles.Func<string[]>(
            nameof(HandWrittenJobs.LoadedAssemblies),
            "() -> string[]",
            static cancellationToken => new ValueTask<string[]>(HandWrittenJobs.LoadedAssemblies()));

        public static readonly RemoteFunc<bool> MemoryPackLoaded = Handles.Func<bool>(
            nameof(HandWrittenJobs.MemoryPackLoaded),
            "() -> bool",
            static cancellationToken => new ValueTask<bool>(HandWrittenJobs.MemoryPackLoaded()));

        public static readonly RemoteFunc<string[]> ThreadNames = Handles.Func<string[]>(
            nameof(HandWrittenJobs.ThreadNames),
            "() -> string[]",
            static cancellationToken => new ValueTask<string[]>(HandWrittenJobs.ThreadNames()));

        public static readonly RemoteFunc<string> CurrentTraceId = Handles.Func<string>(
            nameof(HandWrittenJobs.CurrentTraceId),
            "() -> string",
            static cancellationToken => new ValueTask<string>(HandWrittenJobs.CurrentTraceId()));

        public static readonly RemoteFunc<string, int> WaitForCancellation = Handles.Func<string, int>(
            nameof(HandWrittenJobs.WaitForCancellation),
            "(string, System.Threading.CancellationToken) -> int",
            static (args, cancellationToken) => new ValueTask<int>(HandWrittenJobs.WaitForCancellation(args, cancellationToken)));
    }

    /// <summary>What a generated module initializer does: hands over its formatter registrations, then registers the handles.</summary>
    [ModuleInitializer]
    internal static void Register()
    {
        FormatterRegistry.Add(static () => s_formattersRegistered = true);
        DispatchRegistry.Register(
            typeof(HandWrittenJobs).Assembly,
            Remote.Square, Remote.Dot, Remote.ProcessId, Remote.Fail, Remote.EchoAsync, Remote.Print, Remote.Crash, Remote.ExitOn13, Remote.ThrowOn7, Remote.WaitForCancellation,
            Remote.SetGreeting, Remote.GetGreeting, Remote.FailingInitializer, Remote.CrashOnce, Remote.Die, Remote.NestedPool, Remote.BlockUnlessZero,
            Remote.Produce, Remote.ReadInWorker, Remote.Work, Remote.CurrentTraceId, Remote.InWorker, Remote.FormattersRegistered,
            Remote.LoadedAssemblies, Remote.ThreadNames, Remote.MemoryPackLoaded);
    }
}

using System;
using System.Threading;

namespace ParallelGen.Contract;

/// <summary>
/// The methods the backend contract runs. Linked into each test project that holds a backend to the contract, so
/// each gets its own generated handles. Signals to the test travel as console lines, which every backend brings
/// back to the caller's console.
/// </summary>
public static partial class ContractJobs
{
    private static string? s_initialized;

    [ProcessParallel]
    public static int Square(int x) => x * x;

    [ProcessParallel]
    public static long Add(int a, long b) => a + b;

    [ProcessParallel]
    public static string Echo(string text) => text;

    [ProcessParallel]
    public static byte[] Bytes(int length) => new byte[length];

    [ProcessParallel]
    public static int Fail(string message) => throw new InvalidOperationException(message, new FormatException("inner " + message));

    /// <summary>Fails for one item of a map.</summary>
    [ProcessParallel]
    public static int FailAt(int x) => x == 7 ? throw new ArgumentException("item 7") : x;

    /// <summary>Announces that it runs, then waits for its token: the call ends only when cancelled.</summary>
    [ProcessParallel]
    public static int WaitForCancellation(string announce, CancellationToken cancellationToken)
    {
        Console.WriteLine(announce);
        cancellationToken.WaitHandle.WaitOne();
        cancellationToken.ThrowIfCancellationRequested();
        return 0;
    }

    /// <summary>Announces that it runs, then waits for <paramref name="release"/> to appear on disk.</summary>
    [ProcessParallel]
    public static int Gate(string announce, string release)
    {
        Console.WriteLine(announce);
        using var watcher = new System.IO.FileSystemWatcher(System.IO.Path.GetDirectoryName(release)!, System.IO.Path.GetFileName(release)) { EnableRaisingEvents = true };
        while (!System.IO.File.Exists(release))
        {
            watcher.WaitForChanged(System.IO.WatcherChangeTypes.Created, 1000);
        }

        return 1;
    }

    /// <summary>Exits its worker process the first time (no <paramref name="marker"/> yet), succeeds the second.</summary>
    [ProcessParallel]
    public static int CrashOnce(string marker)
    {
        if (!System.IO.File.Exists(marker))
        {
            System.IO.File.WriteAllText(marker, "crashed once");
            Environment.Exit(42);
        }

        return 7;
    }

    [ProcessParallel]
    public static void Initialize(string value) => s_initialized = value;

    [ProcessParallel]
    public static string? Initialized() => s_initialized;

    [ProcessParallel]
    public static int ProcessId() => Environment.ProcessId;
}

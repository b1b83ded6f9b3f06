using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelGen.IntegrationTests.Jobs;

/// <summary>One <c>[ProcessParallel]</c> method per supported signature shape.</summary>
public static partial class Shapes
{
    /// <summary>No parameters.</summary>
    [ProcessParallel]
    public static int Seed() => 42;

    /// <summary>One parameter.</summary>
    [ProcessParallel]
    public static int Square(int x) => x * x;

    /// <summary>Two parameters: callers pass a tuple (<c>apply(f, (a, b))</c>, <c>starmap</c>).</summary>
    [ProcessParallel]
    public static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>Three parameters of different types.</summary>
    [ProcessParallel]
    public static string Describe(string name, int count, bool loud)
    {
        string text = $"{count} x {name}";
        return loud ? text.ToUpperInvariant() : text;
    }

    /// <summary>The process the call ran in.</summary>
    [ProcessParallel]
    public static int ProcessId() => Environment.ProcessId;

    /// <summary>The process an item ran in, for <c>Map</c>.</summary>
    [ProcessParallel]
    public static int ProcessIdOf(int item) => item >= 0 ? Environment.ProcessId : -1;

    /// <summary>Void with a parameter: a side effect the caller can observe.</summary>
    [ProcessParallel]
    public static void Touch(string path) => File.WriteAllText(path, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Void without parameters: its console output is forwarded to the parent.</summary>
    [ProcessParallel]
    public static void Ping() => Console.WriteLine($"ping from {Environment.ProcessId}");

    /// <summary>Void, writing a given line to the console.</summary>
    [ProcessParallel]
    public static void Say(string line) => Console.WriteLine(line);

    /// <summary><c>Task</c>: awaited in the worker.</summary>
    [ProcessParallel]
    public static async Task TouchAsync(string path)
    {
        await Task.Yield();
        await File.WriteAllTextAsync(path, "async").ConfigureAwait(false);
    }

    /// <summary><c>Task&lt;T&gt;</c>: awaited in the worker, the value sent back.</summary>
    [ProcessParallel]
    public static async Task<string> FetchAsync(string key)
    {
        await Task.Yield();
        return "value:" + key;
    }

    /// <summary><c>ValueTask&lt;T&gt;</c> with two parameters.</summary>
    [ProcessParallel]
    public static async ValueTask<int> AddAsync(int a, int b)
    {
        await Task.Yield();
        return a + b;
    }

    /// <summary><c>ValueTask&lt;T&gt;</c> completing synchronously.</summary>
    [ProcessParallel]
    public static ValueTask<int> NegateNow(int x) => new(-x);

    /// <summary>Non-generic <c>ValueTask</c> without parameters.</summary>
    [ProcessParallel]
    public static async ValueTask YieldOnce() => await Task.Yield();

    /// <summary>
    /// <c>CancellationToken</c> last: announces on the console that it runs (the event the test waits for), then
    /// blocks until the caller cancels.
    /// </summary>
    [ProcessParallel]
    public static int BlockUntilCancelled(string announce, CancellationToken cancellationToken)
    {
        Console.WriteLine(announce);
        cancellationToken.WaitHandle.WaitOne();
        cancellationToken.ThrowIfCancellationRequested();
        return 0;
    }

    /// <summary>
    /// Announces "<paramref name="announce"/> pid=N" and blocks until the caller cancels: two of these running at
    /// once prove that two workers run two calls in two processes.
    /// </summary>
    [ProcessParallel]
    public static void Rendezvous(string announce, CancellationToken cancellationToken)
    {
        Console.WriteLine($"{announce} pid={Environment.ProcessId}");
        cancellationToken.WaitHandle.WaitOne();
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Async, with a <c>CancellationToken</c> as the only parameter after the announcement.</summary>
    [ProcessParallel]
    public static async Task<int> DelayUntilCancelledAsync(string announce, CancellationToken cancellationToken)
    {
        Console.WriteLine(announce);
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <summary>A token that is never cancelled still reaches the method: returns whether it can be cancelled.</summary>
    [ProcessParallel]
    public static bool TokenCanBeCancelled(CancellationToken cancellationToken) => cancellationToken.CanBeCanceled;
}

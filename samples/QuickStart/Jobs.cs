using System;
using System.Threading;
using System.Threading.Tasks;
using ParallelGen;

namespace QuickStart;

/// <summary>
/// The work to run in worker processes. Each <c>[ProcessParallel]</c> method gets a typed handle,
/// generated as <c>Jobs.Remote.Name</c>; the containing type must be partial.
/// </summary>
public static partial class Jobs
{
    /// <summary>One argument, one result.</summary>
    [ProcessParallel]
    public static int Square(int x) => x * x;

    /// <summary>Several parameters: the caller passes one tuple, like Python's <c>apply(f, (a, b))</c> and <c>starmap</c>.</summary>
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

    /// <summary>No parameters: which process am I?</summary>
    [ProcessParallel]
    public static int WorkerProcessId() => Environment.ProcessId;

    /// <summary>An async method: the worker awaits it and sends back the string.</summary>
    [ProcessParallel]
    public static async Task<string> FetchAsync(string key)
    {
        await Task.Delay(10).ConfigureAwait(false);
        return $"value of '{key}' from process {Environment.ProcessId}";
    }

    /// <summary>A void method. Its console output is forwarded to the parent's console.</summary>
    [ProcessParallel]
    public static void Log(string message) => Console.WriteLine($"    [worker {Environment.ProcessId}] {message}");

    /// <summary>Throws in the worker; the caller gets a <see cref="RemoteException"/>.</summary>
    [ProcessParallel]
    public static int Divide(int a, int b) => a / b;

    /// <summary>Takes the caller's cancellation token (not passed by the caller: the pool forwards it).</summary>
    [ProcessParallel]
    public static int CountUntilCancelled(int limit, CancellationToken cancellationToken)
    {
        int n = 0;
        while (n < limit)
        {
            cancellationToken.ThrowIfCancellationRequested();
            n++;
        }

        return n;
    }
}

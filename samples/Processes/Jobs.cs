using System;
using System.Threading;
using ParallelGen;

namespace Processes;

/// <summary>
/// The targets of the sample's processes. Each <c>[ProcessParallel]</c> method gets a typed handle,
/// <c>Jobs.Remote.Name</c>, that <see cref="WorkerProcess.Start{TArgs, TResult}"/> runs in a new process.
/// </summary>
public static partial class Jobs
{
    /// <summary>Succeeds: the process exits with code 0.</summary>
    [ProcessParallel]
    public static string Greet(string name)
    {
        Console.WriteLine($"    [pid {Environment.ProcessId}] hello, {name}");
        return $"{name} was greeted by process {Environment.ProcessId}";
    }

    /// <summary>Throws: the process exits with code 1, as a Python process whose target raised.</summary>
    [ProcessParallel]
    public static string Fail(string reason) => throw new InvalidOperationException(reason);

    /// <summary>Ends the process with a code of its own: Python's <c>sys.exit(code)</c>.</summary>
    [ProcessParallel]
    public static int ExitWith(int code)
    {
        Environment.Exit(code);
        return code; // never reached
    }

    /// <summary>
    /// Tells the caller it has started (by putting its pid in <paramref name="started"/>), then runs until killed.
    /// </summary>
    [ProcessParallel]
    public static int RunUntilKilled(ProcessQueue<int> started)
    {
        started.Put(Environment.ProcessId);
        Thread.Sleep(Timeout.Infinite);
        return 0; // never reached
    }
}

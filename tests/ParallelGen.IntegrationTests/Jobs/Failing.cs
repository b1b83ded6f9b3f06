using System;
using System.Threading.Tasks;

namespace ParallelGen.IntegrationTests.Jobs;

/// <summary>Methods that throw in the worker.</summary>
public static partial class Failing
{
    /// <summary>Throws with an inner exception, so the caller can check the whole chain.</summary>
    [ProcessParallel]
    public static int Fail(string message) =>
        throw new InvalidOperationException(message, new ArgumentException("inner " + message, "value"));

    /// <summary>Throws after an await.</summary>
    [ProcessParallel]
    public static async Task<string> FailAsync(string message)
    {
        await Task.Yield();
        throw new FormatException(message);
    }

    /// <summary>A void method that throws.</summary>
    [ProcessParallel]
    public static void FailVoid(int code) => throw new ApplicationException("void failed with " + code);

    /// <summary>Fails for one particular item of a map.</summary>
    [ProcessParallel]
    public static int FailOn13(int x) => x == 13 ? throw new ArgumentOutOfRangeException(nameof(x), x, "thirteen") : x;

    /// <summary>Ends the worker process in the middle of a call.</summary>
    [ProcessParallel]
    public static int ExitWorker(int exitCode)
    {
        Environment.Exit(exitCode);
        return 0;
    }

    /// <summary>Writes to standard error, which is forwarded to the parent's <see cref="Console.Error"/>.</summary>
    [ProcessParallel]
    public static void Complain(string line) => Console.Error.WriteLine(line);
}

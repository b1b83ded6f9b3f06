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

    /// <summary>Ends the worker for one particular item of a map.</summary>
    [ProcessParallel]
    public static int ExitOn7(int x)
    {
        if (x == 7)
        {
            Environment.Exit(7);
        }

        return x;
    }

    /// <summary>
    /// Ends the worker the first time it runs for <paramref name="markerPath"/> (it creates the file first), and
    /// returns this process's id when the file already exists: a crash that a retry gets past.
    /// </summary>
    [ProcessParallel]
    public static int ExitFirstTime(string markerPath)
    {
        if (!System.IO.File.Exists(markerPath))
        {
            System.IO.File.WriteAllText(markerPath, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Environment.Exit(9);
        }

        return Environment.ProcessId;
    }
}

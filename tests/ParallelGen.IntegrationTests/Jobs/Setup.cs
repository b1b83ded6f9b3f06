using System;
using System.Threading;

namespace ParallelGen.IntegrationTests.Jobs;

/// <summary>Per-process state set by a pool's initializer, and a method that never ends on its own.</summary>
public static partial class Setup
{
    private static string? s_greeting;

    /// <summary>The pool's initializer: runs once in every new worker.</summary>
    [ProcessParallel]
    public static void Init(string greeting, int times) => s_greeting = string.Concat(System.Linq.Enumerable.Repeat(greeting, times));

    /// <summary>What this process's initializer left behind.</summary>
    [ProcessParallel]
    public static string? Greeting() => s_greeting;

    /// <summary>Blocks without looking at any token: only killing the worker stops it.</summary>
    [ProcessParallel]
    public static int Hang(string announce)
    {
        Console.WriteLine(announce);
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }
}

using System;

namespace ParallelGen.IntegrationTests.Jobs;

/// <summary>Handles for methods of nested partial types live in the innermost type's <c>Remote</c>.</summary>
public partial class Outer
{
    public static partial class Middle
    {
        internal static partial class Inner
        {
            [ProcessParallel]
            public static string Where(string prefix) => $"{prefix}:{nameof(Outer)}.{nameof(Middle)}.{nameof(Inner)}:{Environment.ProcessId}";
        }
    }

    [ProcessParallel]
    public static int Twice(int x) => 2 * x;
}

/// <summary>A partial record struct declaring a <c>[ProcessParallel]</c> method.</summary>
public partial record struct Calculator
{
    [ProcessParallel]
    public static long Factorial(int n)
    {
        long result = 1;
        for (int i = 2; i <= n; i++)
        {
            result *= i;
        }

        return result;
    }
}

using System;

namespace ParallelGen.Benchmarks;

/// <summary>
/// The work the benchmark runs in worker processes: the same functions as <c>pool_bench.py</c>
/// (<c>trivial</c>, <c>identity</c>), plus a CPU-bound kernel and a process-id probe.
/// </summary>
public static partial class Jobs
{
    /// <summary>Python's <c>trivial(x)</c>: returns its argument unchanged.</summary>
    [ProcessParallel]
    public static int Trivial(int x) => x;

    /// <summary>Python's <c>identity(payload)</c>: echoes the bytes back.</summary>
    [ProcessParallel]
    public static byte[] Identity(byte[] payload) => payload;

    /// <summary>Which process runs me? Used to find the workers' pids for their RSS.</summary>
    [ProcessParallel]
    public static int Pid() => Environment.ProcessId;

    /// <summary>CPU-bound: counts the primes in [start, end) by trial division. No allocation, no I/O.</summary>
    [ProcessParallel]
    public static int CountPrimes(int start, int end)
    {
        int count = 0;
        for (int n = Math.Max(start, 2); n < end; n++)
        {
            if (IsPrime(n))
            {
                count++;
            }
        }

        return count;
    }

    private static bool IsPrime(int n)
    {
        if (n < 4)
        {
            return n >= 2;
        }

        if (n % 2 == 0)
        {
            return false;
        }

        for (int d = 3; (long)d * d <= n; d += 2)
        {
            if (n % d == 0)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Probes used only by the <c>--analyze</c> breakdowns.</summary>
public static partial class Probes
{
    /// <summary>The worker's memory as the runtime sees it: (managed heap bytes, GC committed bytes, RSS bytes).</summary>
    [ProcessParallel]
    public static (long Heap, long Committed, long Rss) Memory(bool collect)
    {
        if (collect)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }

        return (GC.GetTotalMemory(false), GC.GetGCMemoryInfo().TotalCommittedBytes, Environment.WorkingSet);
    }
}

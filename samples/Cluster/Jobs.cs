using System;
using ParallelGen;

namespace Cluster;

/// <summary>CPU-bound work for the silos: counting primes by trial division, one range at a time.</summary>
public static partial class Jobs
{
    /// <summary>Set by a silo process for itself and its worker processes: which silo ran a range.</summary>
    public const string SiloVariable = "PARALLELGEN_SAMPLE_SILO";

    /// <summary>Counts the primes in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    /// <returns>The count, and the silo that computed it.</returns>
    [ProcessParallel]
    public static (long Count, string Silo) CountPrimes(long from, long to)
    {
        long count = 0;
        for (long n = Math.Max(from, 2); n < to; n++)
        {
            if (IsPrime(n))
            {
                count++;
            }
        }

        return (count, Environment.GetEnvironmentVariable(SiloVariable) ?? Environment.MachineName);
    }

    /// <summary>A call with almost no work, to measure what a call itself costs.</summary>
    [ProcessParallel]
    public static int Square(int x) => x * x;

    private static bool IsPrime(long n)
    {
        if (n % 2 == 0)
        {
            return n == 2;
        }

        for (long d = 3; d * d <= n; d += 2)
        {
            if (n % d == 0)
            {
                return false;
            }
        }

        return true;
    }
}

using System;
using System.Collections.Generic;
using ParallelGen;

namespace Primes;

/// <summary>CPU-bound work: counting primes by trial division, one range of numbers at a time.</summary>
public static partial class Jobs
{
    /// <summary>How many numbers are checked between two progress reports.</summary>
    public const long ReportEvery = 200_000;

    /// <summary>
    /// Counts the primes in [<paramref name="from"/>, <paramref name="to"/>) and reports, through
    /// <paramref name="progress"/>, how many numbers it has checked since its last report. It is an ordinary static
    /// method: the parent calls it directly for the serial run, and the pool runs it in workers through
    /// <c>Jobs.Remote.CountPrimes</c>, where <paramref name="progress"/> forwards each report to the caller's object.
    /// </summary>
    /// <returns>The count, and the id of the process that computed it.</returns>
    [ProcessParallel]
    public static (long Count, int ProcessId) CountPrimes(long from, long to, IProgress<long> progress)
    {
        int[] divisors = SmallPrimes((int)Math.Sqrt(to) + 1);
        long count = 0;
        long sinceReport = 0;
        for (long n = from; n < to; n++)
        {
            if (n >= 2 && IsPrime(n, divisors))
            {
                count++;
            }

            if (++sinceReport == ReportEvery)
            {
                progress.Report(sinceReport);
                sinceReport = 0;
            }
        }

        progress.Report(sinceReport);
        return (count, Environment.ProcessId);
    }

    /// <summary>Trial division by the primes up to √n.</summary>
    private static bool IsPrime(long n, int[] divisors)
    {
        foreach (int d in divisors)
        {
            if ((long)d * d > n)
            {
                return true;
            }

            if (n % d == 0)
            {
                return n == d;
            }
        }

        return true;
    }

    /// <summary>The primes up to <paramref name="limit"/>, by the sieve of Eratosthenes.</summary>
    private static int[] SmallPrimes(int limit)
    {
        var composite = new bool[limit + 1];
        var primes = new List<int>();
        for (int i = 2; i <= limit; i++)
        {
            if (composite[i])
            {
                continue;
            }

            primes.Add(i);
            for (long j = (long)i * i; j <= limit; j += i)
            {
                composite[j] = true;
            }
        }

        return primes.ToArray();
    }
}

using System;
using System.Collections.Generic;
using System.Linq;

namespace ParallelGen.Benchmarks;

/// <summary>The statistics of pool_bench.py, computed the same way (Python's statistics.median, nearest-rank percentiles).</summary>
public static class Stats
{
    /// <summary>Python's <c>statistics.median</c>: the middle value, or the mean of the two middle values.</summary>
    public static double Median(IEnumerable<double> values)
    {
        double[] s = values.Order().ToArray();
        if (s.Length == 0)
        {
            return double.NaN;
        }

        int mid = s.Length / 2;
        return s.Length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
    }

    /// <summary>pool_bench.py's <c>percentile</c>: nearest rank of an already sorted list (q in 0..100).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        // Math.Round rounds half to even, like Python's round().
        int k = Math.Max(0, Math.Min(sorted.Count - 1, (int)Math.Round(q / 100 * sorted.Count) - 1));
        return sorted[k];
    }
}

using System;
using System.IO;
using System.Threading;

namespace ParallelGen.Orleans.TestSilo;

/// <summary>Jobs the cluster tests run on the silos.</summary>
public static partial class ClusterJobs
{
    /// <summary>The name a silo process was started with; its worker processes inherit it.</summary>
    public const string SiloNameVariable = "PARALLELGEN_TEST_SILO";

    /// <summary>
    /// Squares <paramref name="x"/> and says which silo ran it. Before working for <paramref name="millis"/> ms it
    /// leaves a marker file in <paramref name="markers"/> (if given), so a test can tell that a silo holds a call.
    /// </summary>
    [ProcessParallel]
    public static (int Square, string Silo) Square(int x, string markers, int millis)
    {
        string silo = Environment.GetEnvironmentVariable(SiloNameVariable) ?? "?";
        if (markers.Length > 0)
        {
            File.WriteAllText(Path.Combine(markers, $"{silo}-{x}"), "");
        }

        Thread.Sleep(millis);
        return (x * x, silo);
    }
}

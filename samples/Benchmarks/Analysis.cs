using System.Threading.Tasks;

namespace ParallelGen.Benchmarks;

/// <summary>Time breakdowns behind the analysis in docs/benchmarks.md.</summary>
public static class Analysis
{
    public static Task RunAsync(BenchConfig cfg)
    {
        _ = cfg;
        return Task.CompletedTask;
    }
}

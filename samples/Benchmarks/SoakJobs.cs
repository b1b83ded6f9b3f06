using ParallelGen.Soak;

namespace ParallelGen.Benchmarks;

/// <summary>The chaos soak's task (<c>--soak</c>), run by <see cref="ChaosSoak"/>; what it does is in <see cref="SoakWork.Run"/>.</summary>
public static partial class SoakJobs
{
    [ProcessParallel]
    public static (int Id, long Checksum, int Pid) Work(int id, byte[] payload, int chaos, string markers) =>
        SoakWork.Run(id, payload, chaos, markers);

    /// <summary>The long soak: rounds of the CI test's shape until <paramref name="seconds"/> have passed, then the figures.</summary>
    public static int RunSoak(int seconds)
    {
        SoakFigures figures = ChaosSoak.Run(Remote.Work, new SoakOptions { Until = System.TimeSpan.FromSeconds(seconds) }, System.Console.WriteLine);
        System.Console.WriteLine(figures);
        bool clean = figures.Lost == 0 && figures.Duplicated == 0 && figures.Wrong == 0 && figures.Failures.Count == 0
            && figures.WorkersLeft == 0 && figures.SocketsLeft == 0;
        return clean ? 0 : 1;
    }
}

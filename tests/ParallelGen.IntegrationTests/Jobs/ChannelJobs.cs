using System;

namespace ParallelGen.IntegrationTests.Jobs;

/// <summary>Methods taking the caller's <see cref="ProcessQueue{T}"/> or <see cref="IProgress{T}"/>.</summary>
public static partial class ChannelJobs
{
    /// <summary>Puts <paramref name="count"/> numbered items, tagged with <paramref name="producer"/>.</summary>
    [ProcessParallel]
    public static int Produce(ProcessQueue<(int Producer, int Index)> queue, int producer, int count)
    {
        for (int i = 0; i < count; i++)
        {
            queue.Put((producer, i));
        }

        return count;
    }

    /// <summary>Reports each step, then returns how many it reported.</summary>
    [ProcessParallel]
    public static int Work(IProgress<string> progress, int steps)
    {
        for (int i = 1; i <= steps; i++)
        {
            progress.Report($"step {i} of {steps}");
        }

        return steps;
    }
}

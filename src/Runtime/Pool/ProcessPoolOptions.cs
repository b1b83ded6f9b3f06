using System;

namespace ParallelGen;

/// <summary>Settings for a <see cref="ProcessPool"/>.</summary>
public sealed class ProcessPoolOptions
{
    /// <summary>Number of worker processes; defaults to <see cref="Environment.ProcessorCount"/>.</summary>
    public int Processes { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Replace a worker after it has run this many tasks (Python's <c>maxtasksperchild</c>); null keeps workers
    /// for the pool's lifetime. A map chunk counts as one task.
    /// </summary>
    public int? MaxTasksPerChild { get; init; }

    internal void Validate()
    {
        if (Processes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Processes), Processes, "A pool needs at least one process.");
        }

        if (MaxTasksPerChild is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTasksPerChild), MaxTasksPerChild, "MaxTasksPerChild must be at least 1, or null.");
        }
    }
}

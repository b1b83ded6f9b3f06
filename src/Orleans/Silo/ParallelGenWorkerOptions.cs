using System;
using Microsoft.Extensions.Logging;

namespace ParallelGen.Orleans;

/// <summary>The workers a silo hosts for the cluster (<see cref="SiloBuilderExtensions.AddParallelGenWorkers"/>).</summary>
public sealed class ParallelGenWorkerOptions
{
    /// <summary>Calls this silo runs at once: the size of its local pool. Defaults to <see cref="Environment.ProcessorCount"/>.</summary>
    public int Processes { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Run calls on the silo's own thread pool instead of worker processes. Faster to start, but a crashing call
    /// takes the whole silo down with it; the default (false) keeps every call in a child process of the silo.
    /// </summary>
    public bool InProcess { get; set; }

    /// <summary>Replace a silo worker after this many calls (<see cref="ProcessPoolOptions.MaxTasksPerChild"/>); null never.</summary>
    public int? MaxTasksPerChild { get; set; }

    /// <summary>Replace a silo worker whose resident memory exceeds this many bytes after a call (<see cref="ProcessPoolOptions.MaxWorkerMemory"/>); null never.</summary>
    public long? MaxWorkerMemory { get; set; }

    /// <summary>Where the silo's local pool logs worker starts, crashes and exits; the silo's own logger when null.</summary>
    public ILogger? Logger { get; set; }
}

using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using ParallelGen.Backends;
using ParallelGen.Orleans.Caller;

namespace ParallelGen.Orleans;

/// <summary>
/// Runs a <see cref="ProcessPool"/>'s calls on the silos of an Orleans cluster that host ParallelGen workers
/// (<see cref="SiloBuilderExtensions.AddParallelGenWorkers"/>):
/// <c>new ProcessPool(new ProcessPoolOptions { Backend = new OrleansBackend(grainFactory) })</c>. Every verb keeps
/// its meaning. <see cref="ProcessPool.Processes"/> is the cluster's live total of workers; the pool's own
/// <see cref="ProcessPoolOptions.Processes"/> is not used unless <see cref="OrleansBackendOptions.LimitToPoolProcesses"/>
/// (the silos decide their sizes). A silo that leaves the cluster fails, or with
/// <see cref="ProcessPoolOptions.MaxRetries"/> resubmits, exactly the calls it held. Not supported (they throw
/// <see cref="ArgumentException"/> when the pool starts): <see cref="ProcessPoolOptions.Initializer"/>,
/// <see cref="ProcessPoolOptions.MaxTasksPerChild"/>, <see cref="ProcessPoolOptions.MaxWorkerMemory"/>,
/// <see cref="ProcessPoolOptions.InProcess"/>.
/// </summary>
public sealed class OrleansBackend : PoolBackend
{
    /// <summary>Orleans' default <c>MaxMessageBodySize</c> (100 MiB).</summary>
    private const int DefaultMaxMessageBodySize = 100 * 1024 * 1024;

    private readonly IGrainFactory _grainFactory;
    private readonly OrleansBackendOptions _options;

    /// <summary>A backend on the cluster <paramref name="grainFactory"/> reaches (an <c>IClusterClient</c>, or a silo's own factory).</summary>
    public OrleansBackend(IGrainFactory grainFactory)
        : this(grainFactory, new OrleansBackendOptions())
    {
    }

    /// <summary>A backend on the cluster <paramref name="grainFactory"/> reaches, watched as <paramref name="options"/> say.</summary>
    public OrleansBackend(IGrainFactory grainFactory, OrleansBackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(grainFactory);
        ArgumentNullException.ThrowIfNull(options);
        if (options.RefreshInterval <= TimeSpan.Zero || options.StartTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "RefreshInterval and StartTimeout must be positive.");
        }

        _grainFactory = grainFactory;
        _options = options;
    }

    /// <inheritdoc />
    public override string ToString() => "Orleans cluster";

    internal override IWorkerBackend Open(ProcessPoolOptions options, IWorkerEvents events)
    {
        if (options.InProcess)
        {
            throw new ArgumentException("InProcess = true selects the in-process backend; it cannot be combined with an OrleansBackend.", nameof(options));
        }

        if (options.Initializer is not null)
        {
            throw new ArgumentException(
                "OrleansBackend does not support ProcessPoolOptions.Initializer: a silo's workers are shared by every pool of the cluster, so no pool's initializer can run first in each of them.",
                nameof(options));
        }

        if (options.MaxTasksPerChild is not null)
        {
            throw new ArgumentException(
                "OrleansBackend does not support ProcessPoolOptions.MaxTasksPerChild: a silo's worker processes are shared by every pool of the cluster and are not recycled by one of them; set it on the silos' own pools (AddParallelGenWorkers).",
                nameof(options));
        }

        if (options.MaxWorkerMemory is not null)
        {
            throw new ArgumentException(
                "OrleansBackend does not support ProcessPoolOptions.MaxWorkerMemory: a silo's worker processes are shared by every pool of the cluster and are not recycled by one of them; set it on the silos' own pools (AddParallelGenWorkers).",
                nameof(options));
        }

        return new ClusterBackend(_grainFactory, _options, _options.MaxMessageBodySize ?? ReadMessageLimit(), options, events);
    }

    /// <summary>The caller's own message limit, from its Orleans services where the factory has them.</summary>
    private int ReadMessageLimit()
    {
        IServiceProvider? services = (_grainFactory as IClusterClient)?.ServiceProvider ?? _grainFactory as IServiceProvider;
        return services?.GetService<IOptions<ClientMessagingOptions>>()?.Value.MaxMessageBodySize
            ?? services?.GetService<IOptions<SiloMessagingOptions>>()?.Value.MaxMessageBodySize
            ?? DefaultMaxMessageBodySize;
    }
}

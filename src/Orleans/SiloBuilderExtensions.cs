using System;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using ParallelGen.Orleans.Grains;
using ParallelGen.Orleans.Silo;

namespace ParallelGen.Orleans;

/// <summary>Makes a silo host ParallelGen workers for the cluster.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>
    /// Hosts workers on this silo: a local pool of <see cref="ParallelGenWorkerOptions.Processes"/> workers (child
    /// processes unless <see cref="ParallelGenWorkerOptions.InProcess"/>) that runs the calls of every
    /// <see cref="OrleansBackend"/> pool in the cluster. Every silo must run the same build of the application as
    /// the callers, so the same <c>[ProcessParallel]</c> methods exist on both sides.
    /// </summary>
    public static ISiloBuilder AddParallelGenWorkers(this ISiloBuilder builder, Action<ParallelGenWorkerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<ParallelGenWorkerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.Processes >= 1, "ParallelGenWorkerOptions.Processes must be at least 1.");
        builder.Services.AddSingleton<SiloWorkers>();
        builder.AddPlacementDirector<SiloTargetedPlacement, SiloTargetedPlacementDirector>();
        return builder;
    }
}

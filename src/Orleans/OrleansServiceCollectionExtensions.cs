using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;

namespace ParallelGen.Orleans;

/// <summary>A host's <see cref="ProcessPool"/> on the Orleans cluster the host's grain factory reaches.</summary>
public static class OrleansServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton pool whose backend is an <see cref="OrleansBackend"/> on the host's
    /// <see cref="IGrainFactory"/> (from <c>UseOrleansClient</c>, or <c>UseOrleans</c> for code running in a silo).
    /// Its other options come from <see cref="IOptions{TOptions}"/> of <see cref="ProcessPoolOptions"/> (bindable from
    /// configuration); <paramref name="backendOptions"/> tunes how the cluster is watched.
    /// </summary>
    public static IServiceCollection AddOrleansProcessPool(this IServiceCollection services, OrleansBackendOptions? backendOptions = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ProcessPoolOptions>();
        return services.AddProcessPool(provider =>
        {
            ProcessPoolOptions configured = provider.GetRequiredService<IOptions<ProcessPoolOptions>>().Value;
            return new ProcessPoolOptions
            {
                Backend = new OrleansBackend(provider.GetRequiredService<IGrainFactory>(), backendOptions ?? new OrleansBackendOptions()),
                Processes = configured.Processes,
                MaxRetries = configured.MaxRetries,
                TaskTimeout = configured.TaskTimeout,
                MaxMessageBytes = configured.MaxMessageBytes,
                MaxTasksPerChild = configured.MaxTasksPerChild,
                Initializer = configured.Initializer,
                Logger = configured.Logger,
            };
        });
    }
}

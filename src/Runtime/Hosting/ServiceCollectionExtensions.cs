using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ParallelGen;

/// <summary>
/// A <see cref="ProcessPool"/> as a singleton of the generic host: started on first use, disposed (its workers
/// stopped) with the host's service provider.
/// </summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton pool configured by <see cref="IOptions{TOptions}"/> of <see cref="ProcessPoolOptions"/>,
    /// so it can be bound from configuration:
    /// <c>services.Configure&lt;ProcessPoolOptions&gt;(configuration.GetSection("ProcessPool")).AddProcessPool()</c>.
    /// </summary>
    public static IServiceCollection AddProcessPool(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ProcessPoolOptions>();
        return services.AddProcessPool(provider => provider.GetRequiredService<IOptions<ProcessPoolOptions>>().Value);
    }

    /// <summary>Registers a singleton pool started with <paramref name="options"/>.</summary>
    public static IServiceCollection AddProcessPool(this IServiceCollection services, ProcessPoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return services.AddProcessPool(_ => options);
    }

    /// <summary>
    /// Registers a singleton pool whose options are made from the host's services when the pool is first asked for
    /// (a logger from the host, or a cluster backend from the host's grain factory).
    /// </summary>
    public static IServiceCollection AddProcessPool(this IServiceCollection services, Func<IServiceProvider, ProcessPoolOptions> options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        // Created by the container, so the container disposes it (and stops its workers) with the host.
        services.AddSingleton(provider => new ProcessPool(options(provider)));
        return services;
    }
}

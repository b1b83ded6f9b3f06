using System;

namespace ParallelGen.Orleans;

/// <summary>How an <see cref="OrleansBackend"/> watches the cluster.</summary>
public sealed class OrleansBackendOptions
{
    /// <summary>
    /// How often the live silo list is read from the management grain (default 1 s). A silo that leaves the
    /// membership fails or resubmits its calls at the next refresh; Orleans itself declares a killed silo dead
    /// after about 10–12 s with its default membership settings.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a pool waits for the cluster to offer any worker before its queued work fails with
    /// <see cref="WorkerStartException"/> (default 30 s).
    /// </summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The largest message this caller may send, in bytes: its <c>ClientMessagingOptions.MaxMessageBodySize</c>
    /// (or <c>SiloMessagingOptions</c> when the caller runs in a silo). Null (the default) reads it from the
    /// grain factory's services, or assumes Orleans' default of 100 MiB. The silos' own limits also apply.
    /// </summary>
    public int? MaxMessageBodySize { get; set; }

    /// <summary>
    /// When true, a pool holds at most its <see cref="ProcessPoolOptions.Processes"/> of the cluster's workers, spread
    /// over the silos. By default (false) a pool takes every worker of the cluster and grows as silos join.
    /// </summary>
    public bool LimitToPoolProcesses { get; set; }
}

using ParallelGen.Contract;

namespace ParallelGen.Orleans.Tests.Contract;

/// <summary>
/// The backend contract against a two-silo in-process test cluster. Each pool holds as many of the cluster's workers
/// as its options ask (LimitToPoolProcesses), as the contract's pools expect; by default a pool would take them all.
/// </summary>
public sealed class OrleansBackendContract : BackendContract
{
    protected override PoolBackend Backend => new OrleansBackend(TestCluster.Cluster.Client, new OrleansBackendOptions { LimitToPoolProcesses = true });

    /// <summary>Each silo runs calls in its own worker processes.</summary>
    protected override bool IsolatesCrashes => true;

    /// <summary>A pool's worker is a share of a silo's pool, not a process of its own.</summary>
    protected override bool WorkersAreProcesses => false;

    protected override bool SupportsInitializer => false;
}

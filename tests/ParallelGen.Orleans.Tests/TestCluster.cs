using System.Threading.Tasks;
using NUnit.Framework;
using Orleans.TestingHost;

namespace ParallelGen.Orleans.Tests;

/// <summary>
/// One in-process test cluster of two silos for the whole test run: each silo hosts one worker process of its own
/// (its own SiloWorkers, from its own DI container), and the cluster's client is the callers' grain factory.
/// </summary>
[SetUpFixture]
public sealed class TestCluster
{
    private static InProcessTestCluster? s_cluster;

    /// <summary>The running cluster.</summary>
    public static InProcessTestCluster Cluster => s_cluster ?? throw new System.InvalidOperationException("The test cluster is not running.");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddParallelGenWorkers(options => options.Processes = 1));
        s_cluster = builder.Build();
        await s_cluster.DeployAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (s_cluster is not null)
        {
            await s_cluster.StopAllSilosAsync();
            await s_cluster.DisposeAsync();
        }
    }
}

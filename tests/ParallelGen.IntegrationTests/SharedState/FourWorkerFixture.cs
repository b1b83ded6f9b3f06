using NUnit.Framework;
using ParallelGen.IntegrationTests.Infrastructure;

namespace ParallelGen.IntegrationTests.SharedState;

/// <summary>A pool of four workers, so that four processes really do work on one shared object at once.</summary>
public abstract class FourWorkerFixture : PoolFixture
{
    private ProcessPool? _four;

    protected ProcessPool Four => _four ?? throw new System.InvalidOperationException("The fixture's pool is not running.");

    [OneTimeSetUp]
    public void StartFour() => _four = new ProcessPool(4);

    [OneTimeTearDown]
    public void StopFour()
    {
        _four?.Dispose();
        _four = null;
    }
}

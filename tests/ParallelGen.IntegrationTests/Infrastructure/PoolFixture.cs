using System;
using NUnit.Framework;

namespace ParallelGen.IntegrationTests.Infrastructure;

/// <summary>
/// One pool of two workers per fixture: workers start once, and every test in the fixture shares them
/// (as a program would), which keeps the suite fast on a 2-core machine.
/// </summary>
public abstract class PoolFixture
{
    /// <summary>How long any single wait may take before the test fails instead of hanging CI.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(PatienceSeconds);

    private const int PatienceSeconds = 60;

    private ProcessPool? _pool;

    protected ProcessPool Pool => _pool ?? throw new InvalidOperationException("The fixture's pool is not running.");

    [OneTimeSetUp]
    public void StartPool() => _pool = new ProcessPool(2);

    [OneTimeTearDown]
    public void StopPool()
    {
        _pool?.Dispose();
        _pool = null;
    }
}

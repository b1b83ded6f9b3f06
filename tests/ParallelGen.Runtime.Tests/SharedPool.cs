using NUnit.Framework;

namespace ParallelGen.Runtime.Tests;

/// <summary>One two-worker pool for the tests that don't change a pool's state (workers cost ~20 ms and ~30 MB each).</summary>
[SetUpFixture]
public sealed class SharedPool
{
    public static ProcessPool Pool { get; private set; } = null!;

    [OneTimeSetUp]
    public void Start() => Pool = new ProcessPool(2);

    [OneTimeTearDown]
    public void Stop() => Pool.Dispose();
}

using Consumer.Lib;
using NUnit.Framework;
using ParallelGen;

namespace Consumer.Tests;

public static partial class TestJobs
{
    [ProcessParallel]
    public static int Triple(int x) => 3 * x;

    [ProcessParallel]
    public static int WorkerId() => Environment.ProcessId;
}

public class WorkerTests
{
    [Test]
    public void MethodsOfTheTestAssemblyAndOfALibrary_RunInWorkers()
    {
        using var pool = new ProcessPool(2);
        Assert.That(pool.Apply(TestJobs.Remote.Triple, 14), Is.EqualTo(42));
        Assert.That(pool.Apply(TestJobs.Remote.WorkerId), Is.Not.EqualTo(Environment.ProcessId));
        Assert.That(pool.Apply(TextJobs.Remote.Shout, "test"), Is.EqualTo("TEST!"));
        Assert.That(pool.Apply(TextJobs.Remote.LibraryWorkerId), Is.Not.EqualTo(Environment.ProcessId));
        TestContext.Out.WriteLine("consumer-test-ran-in-workers");
    }
}

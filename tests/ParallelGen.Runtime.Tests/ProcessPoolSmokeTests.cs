using System;
using System.Linq;
using NUnit.Framework;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

public class ProcessPoolSmokeTests
{
    [Test]
    public void Apply_RunsInAChildProcess()
    {
        using var pool = new ProcessPool(2);
        pool.Apply(HandWrittenJobs.Remote.Square, 7).ShouldBe(49);
        pool.Apply(HandWrittenJobs.Remote.ProcessId).ShouldNotBe(Environment.ProcessId);
        pool.Map(HandWrittenJobs.Remote.Square, Enumerable.Range(0, 1000)).ShouldBe(Enumerable.Range(0, 1000).Select(x => x * x).ToArray());
    }
}

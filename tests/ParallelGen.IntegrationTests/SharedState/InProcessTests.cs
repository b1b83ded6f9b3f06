using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using ParallelGen.IntegrationTests.Jobs;
using Shouldly;

namespace ParallelGen.IntegrationTests.SharedState;

/// <summary>An in-process pool decodes shared objects to the caller's own objects, through the same serialization path.</summary>
public class InProcessTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(60);

    [Test]
    public void InProcessPool_SharedObjectsBehaveAsWithWorkers()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 4, InProcess = true });
        using var counter = new SharedValue<long>();
        using var dictionary = new ProcessDictionary<int, int>();
        using var gate = new ProcessLock();
        using var tally = new ProcessDictionary<string, int>();
        tally["count"] = 0;

        pool.Map(SharedStateJobs.Remote.Increment, Enumerable.Range(0, 4).Select(_ => (counter, 1000)), chunkSize: 1);
        pool.Map(SharedStateJobs.Remote.TryAddKeys, Enumerable.Range(0, 4).Select(w => (dictionary, w, 100)), chunkSize: 1).Sum().ShouldBe(100);
        pool.Map(SharedStateJobs.Remote.CountUnderLock, Enumerable.Range(0, 4).Select(_ => (gate, tally, 50)), chunkSize: 1);

        counter.Value.ShouldBe(4000);
        dictionary.Count.ShouldBe(100);
        tally["count"].ShouldBe(200);
    }

    [Test]
    public void InProcessPool_PipeEndClosedByTheMethod_CallerSeesEndOfStream()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, InProcess = true });
        var (mine, theirs) = ProcessPipe.Create<string>();
        AsyncResult<int> echo = pool.ApplyAsync(SharedStateJobs.Remote.Echo, theirs);
        mine.Send("a");
        mine.Receive(s_patience).ShouldBe("A");
        mine.Send("stop");
        echo.Get(s_patience).ShouldBe(1);
        Should.Throw<EndOfStreamException>(() => mine.Receive(s_patience));
    }
}

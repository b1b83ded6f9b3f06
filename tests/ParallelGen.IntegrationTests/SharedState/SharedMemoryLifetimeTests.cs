using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NUnit.Framework;
using ParallelGen.IntegrationTests.Infrastructure;
using ParallelGen.IntegrationTests.Jobs;
using Shouldly;

namespace ParallelGen.IntegrationTests.SharedState;

/// <summary>Shared memory goes away with the last process holding it, even when its creator is killed with SIGKILL.</summary>
public class SharedMemoryLifetimeTests : PoolFixture
{
    [Test]
    public void CreatorKilledWithSigkill_MemoryGoesWhenTheLastMapperExits_NothingInDevShm()
    {
        string[] shmBefore = Directory.GetFiles("/dev/shm");
        var (report, reportEnd) = ProcessPipe.Create<int>();
        var (watch, watched) = ProcessPipe.Create<int>();
        using var mapped = new ProcessEvent();

        // The "caller" is a process of its own, so that it can be killed: it creates the memory and passes it on.
        WorkerProcess creator = WorkerProcess.Start(SharedStateJobs.Remote.ShareWithGrandchild, (reportEnd, mapped, watched));
        int grandchild = report.Receive(Patience);
        mapped.Wait(Patience).ShouldBeTrue();

        string memfd = Directory.GetFiles($"/proc/{creator.Id}/fd").Select(f => new FileInfo(f).LinkTarget ?? "")
            .Single(t => t.StartsWith("/memfd:parallelgen-", StringComparison.Ordinal));
        string name = memfd["/memfd:".Length..].Split(' ')[0];
        File.ReadAllText($"/proc/{grandchild}/maps").ShouldContain(name);

        Process.GetProcessById(creator.Id).Kill(); // SIGKILL to the creator alone

        // The grandchild's worker connection ends with its parent, so it exits; its end of the pipe closing tells us so.
        Should.Throw<EndOfStreamException>(() => watch.Receive(Patience));
        ProcessesHolding(name).ShouldBeEmpty();
        Directory.GetFiles("/dev/shm").ShouldBe(shmBefore, ignoreOrder: true);
    }

    /// <summary>Every process that still maps the memfd or holds an fd to it.</summary>
    private static List<string> ProcessesHolding(string name)
    {
        var holders = new List<string>();
        foreach (string process in Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                bool maps = File.ReadAllText(Path.Combine(process, "maps")).Contains(name, StringComparison.Ordinal);
                bool fds = Directory.GetFiles(Path.Combine(process, "fd")).Any(f => (new FileInfo(f).LinkTarget ?? "").Contains(name, StringComparison.Ordinal));
                if (maps || fds)
                {
                    holders.Add(process);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Another user's process, or one that just exited.
            }
        }

        return holders;
    }
}

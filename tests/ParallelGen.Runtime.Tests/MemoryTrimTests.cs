using System;
using System.IO;
using System.Linq;
using System.Threading;
using NUnit.Framework;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

/// <summary>
/// A worker that moved a large payload keeps its buffers while large calls keep coming, and gives the memory back
/// once they stop: its resident size returns to near its idle size instead of staying at the payload's peak.
/// </summary>
public class MemoryTrimTests
{
    private const long MB = 1_000_000;
    private static readonly TimeSpan s_generous = TimeSpan.FromSeconds(30);

    [Test]
    [Platform("Linux")]
    public void LargePayload_ThenIdle_WorkerReturnsToNearItsIdleSize()
    {
        using var pool = new ProcessPool(1);
        int worker = pool.Apply(HandWrittenJobs.Remote.ProcessId);
        pool.Apply(HandWrittenJobs.Remote.Square, 3).ShouldBe(9);
        long idle = ResidentBytes(worker);

        double[] ones = Enumerable.Repeat(1.0, 10_000_000).ToArray(); // 80 MB each way: 160 MB of arguments
        pool.Apply(HandWrittenJobs.Remote.Dot, (ones, ones)).ShouldBe(10_000_000.0);
        long peak = ResidentBytes(worker);
        peak.ShouldBeGreaterThan(idle + 150 * MB, "the payload must have been resident for this test to mean anything");

        // Waits on the condition itself (polled), with a bound only against a hang.
        SpinWait.SpinUntil(() => ResidentBytes(worker) < idle + 50 * MB, s_generous);
        long after = ResidentBytes(worker);
        after.ShouldBeLessThan(idle + 50 * MB, $"idle {idle / MB} MB, peak {peak / MB} MB, after {after / MB} MB");
        pool.Apply(HandWrittenJobs.Remote.Square, 4).ShouldBe(16);
    }

    private static long ResidentBytes(int processId)
    {
        string line = File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}

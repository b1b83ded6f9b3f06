using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using NUnit.Framework;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

/// <summary>
/// An idle pool's workers use next to no CPU once busy work ends: no thread keeps spinning or polling, and the
/// timers that hold results or trim memory stop firing. The bound is an upper limit on CPU time over an idle period
/// (what a spin or poll that never stops would exceed by two orders of magnitude), not a speed.
/// </summary>
[NonParallelizable]
public class IdleCpuTests
{
    private static readonly TimeSpan s_idle = TimeSpan.FromSeconds(4);

    [Test]
    [Platform("Linux")]
    public void IdlePool_AfterBusyWork_WorkersUseUnderOnePercentCpu()
    {
        HashSet<int> before = ChildProcesses();
        using var pool = new ProcessPool(2);
        for (int i = 0; i < 300; i++)
        {
            pool.Apply(HandWrittenJobs.Remote.Square, i).ShouldBe(i * i);
        }

        pool.Map(HandWrittenJobs.Remote.Square, Enumerable.Range(0, 5000), chunkSize: 1).Length.ShouldBe(5000);
        int[] workers = ChildProcesses().Except(before).ToArray();
        workers.Length.ShouldBe(2);

        // Let the runtime's own after-work activity (tiered JIT, a GC) settle before the idle period starts.
        Thread.Sleep(TimeSpan.FromSeconds(1));
        long start = workers.Sum(CpuTicks);
        Thread.Sleep(s_idle);
        long used = workers.Sum(CpuTicks) - start;

        double cpuSeconds = used / 100.0; // USER_HZ
        double budget = 0.01 * s_idle.TotalSeconds * workers.Length;
        cpuSeconds.ShouldBeLessThan(budget, $"{workers.Length} idle workers used {cpuSeconds:F2} s of CPU in {s_idle.TotalSeconds} s");
        pool.Apply(HandWrittenJobs.Remote.Square, 9).ShouldBe(81); // and they still answer
    }

    /// <summary>utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/pid/stat).</summary>
    private static long CpuTicks(int processId)
    {
        string stat = File.ReadAllText($"/proc/{processId}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static HashSet<int> ChildProcesses()
    {
        var children = new HashSet<int>();
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            string list = File.ReadAllText(Path.Combine(task, "children"));
            foreach (string pid in list.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                children.Add(int.Parse(pid, CultureInfo.InvariantCulture));
            }
        }

        return children;
    }
}

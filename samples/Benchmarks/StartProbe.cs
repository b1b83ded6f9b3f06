using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace ParallelGen.Benchmarks;

/// <summary>
/// <c>--analyze start-probes</c>: what single steps of a worker's start cost in a fresh process, with no pool at all:
/// samples/Benchmarks/StartProbe (a bare program, copied to startprobe/ beside this one) runs one step per process and
/// prints its milliseconds and the process's CPU by then; the steps run in alternation. The "idle" steps sleep
/// instead and print the process's VmRSS: the floor of a JIT process's idle memory, and what one socket, MemoryPack's
/// formatter registry, culture data (ICU), <c>Convert.FromHexString</c> or a first <c>System.Threading.Timer</c> add to it.
/// </summary>
public static class StartProbe
{
    public const string BundledProbe = "startprobe/ParallelGen.Benchmarks.StartProbe.dll";

    private static readonly string[] s_steps = ["nothing", "memorypack-writevalue", "memorypack-writeunmanaged", "memorypack-registry", "socket"];

    /// <summary>In the parent: each step <paramref name="rounds"/> times in alternation; the medians; then the idle RSS steps.</summary>
    public static void Compare(int rounds)
    {
        var inMain = s_steps.ToDictionary(s => s, _ => new List<double>());
        var cpu = s_steps.ToDictionary(s => s, _ => new List<double>());
        for (int round = 0; round < rounds; round++)
        {
            foreach (string step in s_steps)
            {
                string[] fields = RunChild(step).Trim().Split(' ');
                inMain[step].Add(double.Parse(fields[0]["ms=".Length..], CultureInfo.InvariantCulture));
                cpu[step].Add(double.Parse(fields[1]["cpu=".Length..], CultureInfo.InvariantCulture));
            }
        }

        Console.WriteLine($"  each step in a fresh process ({ChildRun.DotnetHost()} exec {BundledProbe} STEP), {rounds} alternating rounds; load average {ProcStats.LoadAverage()}");
        foreach (string step in s_steps)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {step,-28} step median {Stats.Median(inMain[step]),7:N1} ms   process CPU by then, median {Stats.Median(cpu[step]),7:N1} ms"));
        }

        foreach (string step in new[] { "idle", "idle-socket", "idle-memorypack", "idle-culture", "idle-hex", "idle-timer" })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {step,-28} VmRSS {RunChild(step).Trim()["rss=".Length..]} MB"));
        }
    }

    private static string RunChild(string step)
    {
        var start = new ProcessStartInfo(ChildRun.DotnetHost()) { UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(ChildRun.Bundled(BundledProbe) ?? throw new InvalidOperationException($"{BundledProbe} is missing beside this program: build samples/Benchmarks again."));
        start.ArgumentList.Add(step);
        using Process child = Process.Start(start)!;
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        return output;
    }
}

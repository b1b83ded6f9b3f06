using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace ParallelGen;

/// <summary>
/// A caller blocked in <c>Get</c> or <c>Apply</c> has nothing else to do: it watches its own result for a few tens
/// of microseconds before it blocks, so a short call's answer is picked up without a thread wake-up (tens of
/// microseconds on a virtual machine). Only the waiting caller spins, and only this briefly; an idle pool spins not
/// at all.
/// </summary>
internal static class ResultSpin
{
    private const long SpinMicroseconds = 50;

    private static readonly long s_spinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;

    /// <summary>Spins until <paramref name="task"/> completes or the bound passes (at once on a single core).</summary>
    public static void Briefly(Task task)
    {
        if (task.IsCompleted || Environment.ProcessorCount < 2)
        {
            return;
        }

        long deadline = Stopwatch.GetTimestamp() + s_spinTicks;
        var spinner = new SpinWait();
        while (!task.IsCompleted && Stopwatch.GetTimestamp() < deadline)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}

using System;
using System.Diagnostics;
using System.Threading;

namespace ParallelGen.Results;

/// <summary>
/// A caller with nothing to do until another thread finishes something (a blocked <c>Get</c>, an imap waiting for its
/// next chunk) watches for it for a bounded time before it sleeps: it is idle anyway, and a short call's answer often
/// comes within that, which saves the wake-up of a sleeping thread (tens of µs, or a hop through the thread pool).
/// </summary>
internal static class CallerSpin
{
    /// <summary>The longest a caller spins: 50 µs.</summary>
    private static readonly long s_ticks = Stopwatch.Frequency * 50 / 1_000_000;

    /// <summary>Spins while <paramref name="waiting"/> holds for <paramref name="state"/>, for at most 50 µs.</summary>
    public static void While<TState>(TState state, Func<TState, bool> waiting)
    {
        long deadline = Stopwatch.GetTimestamp() + s_ticks;
        SpinWait spinner = default;
        while (waiting(state) && Stopwatch.GetTimestamp() <= deadline)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}

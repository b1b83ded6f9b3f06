using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace ParallelGen.Transport.SharedMemory;

/// <summary>
/// Linux futexes on a word in shared memory: a thread sleeps in the kernel until another process changes the word
/// and wakes it. The shared (not private) operations are used because the waker is another process.
/// </summary>
internal static unsafe partial class Futex
{
    private const int Wait = 0;
    private const int Wake = 1;

    private static readonly long s_syscallNumber = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 202,
        Architecture.Arm64 => 98,
        _ => -1,
    };

    /// <summary>True where this process can use futexes (Linux on x64 or Arm64).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && s_syscallNumber > 0;

    /// <summary>
    /// Sleeps while <paramref name="word"/> still holds <paramref name="expected"/>, at most <paramref name="timeout"/>.
    /// Returns at once if the word already differs; may also return early (a signal, a spurious wake), so callers
    /// re-check their condition.
    /// </summary>
    public static void WaitWhile(int* word, int expected, TimeSpan timeout)
    {
        long ticks = Math.Max(timeout.Ticks, 0);
        var time = new TimeSpec { Seconds = ticks / TimeSpan.TicksPerSecond, Nanoseconds = ticks % TimeSpan.TicksPerSecond * 100 };
        Syscall(s_syscallNumber, (nint)word, Wait, expected, (nint)(&time), 0, 0);
    }

    /// <summary>Changes <paramref name="word"/> and wakes every thread (of any process) sleeping on it.</summary>
    public static void Ring(int* word)
    {
        Interlocked.Increment(ref *word);
        Syscall(s_syscallNumber, (nint)word, Wake, int.MaxValue, 0, 0, 0);
    }

    [LibraryImport("libc", EntryPoint = "syscall")]
    private static partial long Syscall(long number, nint address, int operation, int value, nint timeout, nint address2, int value3);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}

using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;

namespace ParallelGen.Runtime.Tests;

public static partial class ProcessAssert
{
    private const int SysPidfdOpen = 434; // x86_64 and arm64 share this syscall number
    private const short PollIn = 0x001;
    private const int EINTR = 4;

    /// <summary>True if the process is gone from the OS: exited and reaped, so not even a zombie remains.</summary>
    public static bool IsGone(int processId)
    {
        if (OperatingSystem.IsLinux())
        {
            return !Directory.Exists("/proc/" + processId);
        }

        try
        {
            using Process process = Process.GetProcessById(processId);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <summary>
    /// Waits for any process (not only our children) to terminate, on the kernel's exit event: a pidfd becomes
    /// readable when its process exits. True if it exited within <paramref name="timeout"/>.
    /// </summary>
    public static bool WaitForExit(int processId, TimeSpan timeout)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("pidfd is Linux-only.");
        }

        int pidfd = (int)Syscall(SysPidfdOpen, processId, 0);
        if (pidfd < 0)
        {
            return true; // ESRCH: no such process any more.
        }

        try
        {
            long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
            while (true)
            {
                var descriptor = new PollFd { Fd = pidfd, Events = PollIn };
                int ready = Poll(ref descriptor, 1, (int)Math.Max(0, deadline - Environment.TickCount64));
                if (ready >= 0 || Marshal.GetLastPInvokeError() != EINTR)
                {
                    return ready > 0;
                }

                // Interrupted by a signal (SIGCHLD from our own children is common): wait again for the rest.
            }
        }
        finally
        {
            Close(pidfd);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, int pid, uint flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollFd fds, ulong count, int timeout);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}

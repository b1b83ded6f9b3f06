using System;
using System.Diagnostics;
using System.IO;

namespace ParallelGen.Runtime.Tests;

public static class ProcessAssert
{
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
}

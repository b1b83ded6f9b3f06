using System;
using System.ComponentModel;
using System.IO;
using NUnit.Framework;
using ParallelGen.Backends.Process;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

/// <summary>
/// Which failures of <c>Process.Start</c> the process backend reports as momentary (another start later may pass, so
/// a pool with no worker left tries again before it fails its work) and which as lasting.
/// </summary>
public class ProcessStartErrorTests
{
    [Test]
    public void WantOfProcessesMemoryOrDescriptors_IsMomentary()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Windows reports these with its own error codes.");
        }

        int eagain = OperatingSystem.IsLinux() ? 11 : 35;
        foreach (int errno in new[] { eagain, 12, 23, 24 }) // EAGAIN, ENOMEM, ENFILE, EMFILE
        {
            ProcessBackend.IsMomentary(new Win32Exception(errno)).ShouldBeTrue($"errno {errno}");
        }
    }

    [Test]
    public void AMissingOrUnrunnableHost_IsNot()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Windows reports these with its own error codes.");
        }

        foreach (int errno in new[] { 1, 2, 8, 13 }) // EPERM, ENOENT, ENOEXEC, EACCES
        {
            ProcessBackend.IsMomentary(new Win32Exception(errno)).ShouldBeFalse($"errno {errno}");
        }

        ProcessBackend.IsMomentary(new IOException("not a start error")).ShouldBeFalse();
    }

    [Test]
    public void WhatProcessStartThrows_ForAMissingHost_IsLasting()
    {
        // The real exception, not a constructed one: its NativeErrorCode is what the classification reads.
        var missing = Should.Throw<Win32Exception>(() => System.Diagnostics.Process.Start(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))));
        ProcessBackend.IsMomentary(missing).ShouldBeFalse(missing.Message);
    }
}

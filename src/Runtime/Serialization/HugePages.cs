using System;
using System.IO;
using System.Runtime.InteropServices;

namespace ParallelGen.Serialization;

/// <summary>
/// Asks Linux for transparent huge pages (2 MiB) under a large array that is about to be filled for the first time.
/// A large payload is decoded into a fresh array on every call, and filling fresh memory costs a page fault per
/// 4 KiB page, which on the benchmark machine cost more than the copy itself (docs/benchmarks.md, (d)). Only whole
/// 2 MiB blocks inside the array are advised, so no memory outside it is affected; the advice ends with the mapping
/// when the GC decommits that memory.
/// </summary>
/// <remarks>
/// Done only where the kernel's mode is "madvise" (the usual default): under "always" the kernel already does it, and
/// under "never" it would not. <c>PARALLELGEN_HUGEPAGES=0</c> in the environment turns it off (workers inherit it).
/// Any failure is ignored: the advice is an optimisation, never a requirement.
/// </remarks>
internal static partial class HugePages
{
    /// <summary>Arrays from this many bytes up are advised (two huge pages: smaller arrays may hold no whole one).</summary>
    public const long Threshold = 4L * 1024 * 1024;

    private const long HugePageSize = 2L * 1024 * 1024;
    private const int MadvHugepage = 14;

    /// <summary>The environment variable that turns the advice off when set to "0".</summary>
    public const string Switch = "PARALLELGEN_HUGEPAGES";


    /// <summary>Advises huge pages for the whole 2 MiB blocks of <paramref name="array"/>'s data, if it is large enough.</summary>
    public static unsafe void AdviseForFirstFill<T>(T[] array)
        where T : unmanaged
    {
        long bytes = (long)array.Length * sizeof(T);
        if (bytes < Threshold || !Kernel.Advisable)
        {
            return;
        }

        // A large array lives on the large object heap, which is not compacted unless the app asks for it; the pin only
        // covers the address arithmetic below.
        fixed (T* data = array)
        {
            long start = ((long)data + HugePageSize - 1) & ~(HugePageSize - 1);
            long end = ((long)data + bytes) & ~(HugePageSize - 1);
            if (end > start)
            {
                _ = NativeMethods.Madvise((nint)start, (nuint)(end - start), MadvHugepage);
            }
        }
    }

    /// <summary>
    /// Whether to advise at all, decided once, on the first large array: a class of its own, so a process that only
    /// ever decodes small arrays never reads the environment or /sys for it.
    /// </summary>
    private static class Kernel
    {
        public static readonly bool Advisable =
            OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable(Switch) != "0" && ModeIsMadvise();
    }

    /// <summary>Whether /sys/kernel/mm/transparent_hugepage/enabled has "[madvise]" selected.</summary>
    private static bool ModeIsMadvise()
    {
        try
        {
            return File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled").Contains("[madvise]", StringComparison.Ordinal);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static partial class NativeMethods
    {
        [LibraryImport("libc", EntryPoint = "madvise")]
        public static partial int Madvise(nint address, nuint length, int advice);
    }
}

using System;
using System.Runtime.InteropServices;

namespace ParallelGen.Transport.SharedMemory;

/// <summary>The few libc calls shared memory needs: anonymous memory files (<c>memfd_create</c>) and mappings.</summary>
internal static unsafe partial class MemfdNative
{
    public const uint MfdCloexec = 1;
    public const int ORdwr = 2;
    public const int OCloexec = 0x80000;
    public const int ProtRead = 1;
    public const int ProtWrite = 2;
    public const int MapShared = 1;
    public const int SeekEnd = 2;

    [LibraryImport("libc", EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MemfdCreate(string name, uint flags);

    [LibraryImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    public static partial int Ftruncate(int fd, long length);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint ReadLink(string path, byte* buffer, nuint size);

    /// <summary>
    /// The target of the symbolic link <paramref name="path"/> as UTF-8 bytes written into <paramref name="buffer"/>, or
    /// -1 when it cannot be read; a target that fills the whole buffer may have been cut short. Not
    /// <c>FileInfo.LinkTarget</c>: that brings the file-system classes' code into every worker that checks its ring.
    /// </summary>
    public static int ReadLink(string path, Span<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            return (int)ReadLink(path, start, (nuint)buffer.Length);
        }
    }

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    public static partial long Lseek(int fd, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint address, nuint length);

    public static Exception Error(string what) =>
        new System.IO.IOException($"{what} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
}

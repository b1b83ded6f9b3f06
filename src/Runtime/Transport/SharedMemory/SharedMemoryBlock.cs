using System;
using System.Security.Cryptography;
using System.Threading;

namespace ParallelGen.Transport.SharedMemory;

/// <summary>
/// One block of shared memory mapped into this process. The owner creates it with <c>memfd_create</c> (an anonymous
/// file: no name in /dev/shm, nothing to clean up); another process opens <c>/proc/&lt;owner pid&gt;/fd/&lt;fd&gt;</c>
/// and maps the same pages. The memory lives while any process holds the fd or a mapping, and goes when the last
/// one exits, whatever way it exits.
/// </summary>
internal sealed unsafe class SharedMemoryBlock : IDisposable
{
    private const string NamePrefix = "parallelgen-";

    /// <summary>The longest name <c>memfd_create</c> takes (249 bytes, without the terminating zero).</summary>
    private const int MaxNameBytes = 249;
    private nint _address;
    private int _fd;

    private SharedMemoryBlock(nint address, long byteLength, int fd, string name)
    {
        _address = address;
        ByteLength = byteLength;
        _fd = fd;
        Name = name;
    }

    public long ByteLength { get; }

    /// <summary>The memfd's name, random: it tells this block from any other that later gets the same fd number.</summary>
    public string Name { get; }

    /// <summary>The owner's fd, or -1 in a process that only maps the block.</summary>
    public int Fd => _fd;

    public bool IsDisposed => Volatile.Read(ref _address) == 0;

    public byte* Pointer
    {
        get
        {
            nint address = Volatile.Read(ref _address);
            ObjectDisposedException.ThrowIf(address == 0, this);
            return (byte*)address;
        }
    }

    /// <summary>Creates zeroed shared memory of <paramref name="byteLength"/> bytes, owned by this process.</summary>
    public static SharedMemoryBlock Create(long byteLength)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Shared memory between processes needs Linux (memfd_create).");
        }

        string name = NamePrefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        int fd = MemfdNative.MemfdCreate(name, MemfdNative.MfdCloexec);
        if (fd < 0)
        {
            throw MemfdNative.Error("memfd_create");
        }

        long mapped = Math.Max(byteLength, 1);
        if (MemfdNative.Ftruncate(fd, mapped) != 0)
        {
            Exception error = MemfdNative.Error("ftruncate");
            MemfdNative.Close(fd);
            throw error;
        }

        nint address = Map(fd, mapped, out Exception? failure);
        if (failure is not null)
        {
            MemfdNative.Close(fd);
            throw failure;
        }

        return new SharedMemoryBlock(address, byteLength, fd, name);
    }

    /// <summary>Maps the block that process <paramref name="pid"/> holds as <paramref name="fd"/> and named <paramref name="name"/>.</summary>
    /// <exception cref="ObjectDisposedException">That process no longer holds the block (it disposed it or exited).</exception>
    public static SharedMemoryBlock Open(int pid, int fd, string name, long byteLength)
    {
        string path = FdLink(DecimalDigits.Format(pid), fd);
        if (!Holds(path, name))
        {
            throw Gone(name);
        }

        int local = MemfdNative.Open(path, MemfdNative.ORdwr | MemfdNative.OCloexec);
        if (local < 0)
        {
            throw Gone(name);
        }

        try
        {
            // The fd number may have been reused between the check and the open: check what was opened.
            if (!Holds(FdLink("self", local), name) || MemfdNative.Lseek(local, 0, MemfdNative.SeekEnd) < byteLength)
            {
                throw Gone(name);
            }

            nint address = Map(local, Math.Max(byteLength, 1), out Exception? failure);
            return failure is null ? new SharedMemoryBlock(address, byteLength, -1, name) : throw failure;
        }
        finally
        {
            // The mapping keeps the memory; this process needs no fd for it.
            MemfdNative.Close(local);
        }
    }

    /// <summary>The /proc link of descriptor <paramref name="fd"/> of <paramref name="process"/> (a pid or "self").</summary>
    public static string FdLink(string process, int fd) => "/proc/" + process + "/fd/" + DecimalDigits.Format(fd);

    /// <summary>True while <paramref name="fdPath"/> (a /proc fd link) still names the memfd <paramref name="name"/>.</summary>
    public static bool Holds(string fdPath, string name)
    {
        // A memfd's link reads "/memfd:<name> (deleted)"; names are ASCII (NamePrefix and hex digits), and the kernel
        // takes at most MaxNameBytes of them, so a longer name (it can come off the wire) names no memfd at all.
        if (name.Length > MaxNameBytes)
        {
            return false;
        }

        string expected = "/memfd:" + name + " ";
        Span<byte> target = stackalloc byte[expected.Length + 1];
        int length = MemfdNative.ReadLink(fdPath, target);
        if (length < expected.Length)
        {
            return false; // gone, unreadable, or shorter than the name
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (target[i] != expected[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Closes the owner's fd and keeps the mapping: nobody can open the block any more.</summary>
    public void CloseDescriptor()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            MemfdNative.Close(fd);
        }
    }

    public void Dispose()
    {
        nint address = Interlocked.Exchange(ref _address, 0);
        if (address != 0)
        {
            MemfdNative.Munmap(address, (nuint)Math.Max(ByteLength, 1));
        }

        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            MemfdNative.Close(fd);
        }
    }

    private static nint Map(int fd, long byteLength, out Exception? failure)
    {
        nint address = MemfdNative.Mmap(0, (nuint)byteLength, MemfdNative.ProtRead | MemfdNative.ProtWrite, MemfdNative.MapShared, fd, 0);
        failure = address == -1 ? MemfdNative.Error("mmap") : null;
        return address;
    }

    private static ObjectDisposedException Gone(string name) =>
        new(name, "The shared memory is gone: the process that created it disposed it or exited.");
}

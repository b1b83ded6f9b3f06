using System;
using System.Globalization;
using System.Threading;

namespace ParallelGen.Transport.SharedMemory;

/// <summary>
/// The shared memory between the parent and one worker: a ring for each direction (<see cref="ByteRing"/>) and two
/// flags. The parent creates it before it starts the worker (a memfd: no name in /dev/shm, freed when the last of the
/// two processes lets go, however it ends) and names it on the worker's command line; the worker maps it, sets
/// <see cref="IsWorkerAttached"/> and only then says Hello on its socket, so the parent knows which way to talk.
/// </summary>
internal sealed unsafe class RingRegion : IDisposable
{
    /// <summary>Bytes per direction: large enough that a 100 MB payload streams in few pieces, small enough to stay resident.</summary>
    public const int DefaultCapacity = 1024 * 1024;

    private const int HeaderBytes = 4096;
    private const int ClosedOffset = 2 * ByteRing.ControlBytes;
    private const int AttachedOffset = ClosedOffset + 64;

    private readonly SharedMemoryBlock _block;

    private RingRegion(SharedMemoryBlock block, int capacity)
    {
        _block = block;
        Capacity = capacity;
        byte* start = block.Pointer;
        int* closed = (int*)(start + ClosedOffset);
        ToWorker = new ByteRing(start, start + HeaderBytes, capacity, closed);
        ToParent = new ByteRing(start + ByteRing.ControlBytes, start + HeaderBytes + capacity, capacity, closed);
    }

    public int Capacity { get; }

    /// <summary>Calls and control frames, parent → worker.</summary>
    public ByteRing ToWorker { get; }

    /// <summary>Answers, console text and queue items, worker → parent.</summary>
    public ByteRing ToParent { get; }

    /// <summary>Set by the worker once it has mapped the region, before its Hello.</summary>
    public bool IsWorkerAttached => Volatile.Read(ref *(int*)(_block.Pointer + AttachedOffset)) != 0;

    /// <summary>What the worker's command line says about the region: fd and name in the parent, and capacity.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{_block.Fd}:{_block.Name}:{Capacity}");

    /// <summary>True where rings can work: Linux (memfd, futex).</summary>
    public static bool IsSupported => Futex.IsSupported;

    public static RingRegion Create(int capacity = DefaultCapacity) =>
        new(SharedMemoryBlock.Create(HeaderBytes + 2L * capacity), capacity);

    /// <summary>Maps the region the parent <paramref name="parentProcessId"/> described with <see cref="Describe"/>.</summary>
    /// <exception cref="FormatException">The description is malformed.</exception>
    /// <exception cref="ObjectDisposedException">The parent no longer holds the region.</exception>
    public static RingRegion Open(int parentProcessId, string description)
    {
        string[] parts = description.Split(':');
        if (parts.Length != 3
            || !DecimalDigits.TryParse(parts[0], out int fd)
            || !DecimalDigits.TryParse(parts[2], out int capacity)
            || capacity <= 0 || (capacity & (capacity - 1)) != 0)
        {
            throw new FormatException($"'{description}' does not describe a ring region (fd:name:capacity).");
        }

        var region = new RingRegion(SharedMemoryBlock.Open(parentProcessId, fd, parts[1], HeaderBytes + 2L * capacity), capacity);
        Volatile.Write(ref *(int*)(region._block.Pointer + AttachedOffset), 1);
        return region;
    }

    /// <summary>
    /// Drops the parent's fd once the worker has mapped the region (or never will): no process started later can
    /// open it, and the memory now lives only as long as the two mappings.
    /// </summary>
    public void CloseDescriptor() => _block.CloseDescriptor();

    /// <summary>Marks the stream closed and wakes both sides: reads drain and end, writes fail.</summary>
    public void Close()
    {
        lock (_block)
        {
            if (_block.IsDisposed)
            {
                return;
            }

            Volatile.Write(ref *(int*)(_block.Pointer + ClosedOffset), 1);
            ToWorker.WakeAll();
            ToParent.WakeAll();
        }
    }

    /// <summary>Unmaps the region. Only once no thread of this process reads or writes its rings any more.</summary>
    public void Dispose()
    {
        lock (_block)
        {
            _block.Dispose();
        }
    }
}

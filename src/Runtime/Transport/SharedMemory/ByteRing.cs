using System;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;

namespace ParallelGen.Transport.SharedMemory;

/// <summary>
/// One direction of a byte stream through shared memory: a single producer in one process, a single consumer in the
/// other. Positions only grow; the bytes between the consumer's head and the producer's tail are unread. Nobody
/// enters the kernel while both sides are busy: a waiting side first spins for a bounded time (the other side is
/// usually about to answer), and only then sleeps on a futex, having said so in shared memory so that the other side
/// knows to wake it. A side that never sleeps never costs the other a system call.
/// </summary>
internal sealed unsafe class ByteRing
{
    /// <summary>Bytes of control block per ring: four cache lines, so neither side's writes evict the other's.</summary>
    public const int ControlBytes = 256;

    /// <summary>How long a waiting side spins before it sleeps: well above a round trip, far below a time slice.</summary>
    public static readonly long SpinTicks = Stopwatch.Frequency * 50 / 1_000_000;

    /// <summary>A sleeping side re-checks this often even unwoken, so a missed wake-up costs time, never a hang.</summary>
    private static readonly TimeSpan s_sleepSlice = TimeSpan.FromMilliseconds(250);

    private readonly long* _tail;            // written by the producer
    private readonly long* _head;            // written by the consumer
    private readonly int* _consumerSleeping;
    private readonly int* _dataBell;
    private readonly int* _producerSleeping;
    private readonly int* _spaceBell;
    private readonly int* _closed;
    private readonly byte* _data;
    private readonly int _capacity;
    private readonly long _mask;

    /// <param name="control">This ring's <see cref="ControlBytes"/> of control block.</param>
    /// <param name="data">Its data area of <paramref name="capacity"/> bytes.</param>
    /// <param name="capacity">The data area's size, a power of two.</param>
    /// <param name="closed">The region's closed flag: once set, waits end and writes fail.</param>
    public ByteRing(byte* control, byte* data, int capacity, int* closed)
    {
        if (capacity <= 0 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A ring's capacity must be a power of two.");
        }

        _tail = (long*)control;
        _head = (long*)(control + 64);
        _consumerSleeping = (int*)(control + 128);
        _dataBell = (int*)(control + 132);
        _producerSleeping = (int*)(control + 192);
        _spaceBell = (int*)(control + 196);
        _closed = closed;
        _data = data;
        _capacity = capacity;
        _mask = capacity - 1;
    }

    /// <summary>
    /// Consulted before the consumer spins: false makes it sleep at once (the process expects nothing soon, e.g. no
    /// call is in flight). Null means always spin first.
    /// </summary>
    public Func<bool>? ConsumerMaySpin { get; set; }

    private bool IsClosed => Volatile.Read(ref *_closed) != 0;

    /// <summary>Bytes written and not yet read (for tests and diagnostics).</summary>
    public long Unread => Volatile.Read(ref *_tail) - Volatile.Read(ref *_head);

    /// <summary>
    /// Writes all of <paramref name="bytes"/>, in as many pieces as the free space allows; each piece is visible to
    /// the consumer as soon as it is written, so a payload larger than the ring streams through it.
    /// Producer side only; callers serialise their writes.
    /// </summary>
    /// <exception cref="SocketException">The stream is closed (the other side went away).</exception>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            long tail = *_tail;
            long free = _capacity - (tail - Volatile.Read(ref *_head));
            if (free == 0)
            {
                WaitForSpace(tail);
                continue;
            }

            int count = (int)Math.Min(free, bytes.Length);
            Copy(bytes[..count], tail);
            Volatile.Write(ref *_tail, tail + count);
            // Full fence: the consumer's "I sleep" must be seen after the tail it missed, or it is never woken.
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref *_consumerSleeping) != 0)
            {
                Futex.Ring(_dataBell);
            }

            bytes = bytes[count..];
        }
    }

    /// <summary>
    /// Reads at least one byte into <paramref name="destination"/>, waiting for it, and returns how many it read;
    /// 0 once the stream is closed and every byte written before that has been read. Consumer side only.
    /// </summary>
    public int Read(Span<byte> destination)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            long head = *_head;
            long available = Volatile.Read(ref *_tail) - head;
            if (available > 0)
            {
                int count = (int)Math.Min(available, destination.Length);
                CopyOut(head, destination[..count]);
                Volatile.Write(ref *_head, head + count);
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref *_producerSleeping) != 0)
                {
                    Futex.Ring(_spaceBell);
                }

                return count;
            }

            if (IsClosed)
            {
                return 0;
            }

            WaitForData(head);
        }
    }

    /// <summary>Ends waits on both sides: called by whoever learns that the other side is gone.</summary>
    public void WakeAll()
    {
        Futex.Ring(_dataBell);
        Futex.Ring(_spaceBell);
    }

    private void WaitForData(long head)
    {
        if (ConsumerMaySpin?.Invoke() ?? true)
        {
            SpinWhileUnchanged(_tail, head);
        }

        Sleep(_consumerSleeping, _dataBell, _tail, head);
    }

    private void WaitForSpace(long tail)
    {
        if (IsClosed)
        {
            SocketErrors.ThrowConnectionReset();
        }

        // Full while the consumer's head is still a whole ring behind this tail.
        SpinWhileUnchanged(_head, tail - _capacity);
        Sleep(_producerSleeping, _spaceBell, _head, tail - _capacity);
    }

    /// <summary>Spins for at most <see cref="SpinTicks"/> while <paramref name="position"/> still reads <paramref name="unchanged"/>.</summary>
    private void SpinWhileUnchanged(long* position, long unchanged)
    {
        long deadline = Stopwatch.GetTimestamp() + SpinTicks;
        SpinWait spinner = default;
        while (Volatile.Read(ref *position) == unchanged && !IsClosed && Stopwatch.GetTimestamp() <= deadline)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>
    /// Sleeps on <paramref name="bell"/> while <paramref name="position"/> still reads <paramref name="unchanged"/>
    /// (checked again after saying so in <paramref name="sleeping"/>, which is what makes the other side ring) and the
    /// stream is open.
    /// </summary>
    private void Sleep(int* sleeping, int* bell, long* position, long unchanged)
    {
        int ring = Volatile.Read(ref *bell);
        Volatile.Write(ref *sleeping, 1);
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref *position) == unchanged && !IsClosed)
        {
            Futex.WaitWhile(bell, ring, s_sleepSlice);
        }

        Volatile.Write(ref *sleeping, 0);
    }

    private void Copy(ReadOnlySpan<byte> source, long position)
    {
        int offset = (int)(position & _mask);
        int first = Math.Min(source.Length, _capacity - offset);
        source[..first].CopyTo(new Span<byte>(_data + offset, first));
        source[first..].CopyTo(new Span<byte>(_data, source.Length - first));
    }

    private void CopyOut(long position, Span<byte> destination)
    {
        int offset = (int)(position & _mask);
        int first = Math.Min(destination.Length, _capacity - offset);
        new ReadOnlySpan<byte>(_data + offset, first).CopyTo(destination);
        new ReadOnlySpan<byte>(_data, destination.Length - first).CopyTo(destination[first..]);
    }
}

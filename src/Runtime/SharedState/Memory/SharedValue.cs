using System;
using System.Runtime.CompilerServices;
using System.Threading;
using ParallelGen.SharedState.Memory;
using ParallelGen.Transport.SharedMemory;

namespace ParallelGen;

/// <summary>
/// One value in memory shared between processes (Python's <c>multiprocessing.Value</c>). For <c>int</c> and <c>long</c>,
/// <see cref="SharedValueExtensions"/> adds <c>Increment</c>, <c>Add</c> and <c>CompareExchange</c>, atomic across
/// processes (<see cref="Interlocked"/> on the shared memory). A new value reads as zero. Linux only.
/// </summary>
/// <typeparam name="T">An unmanaged type.</typeparam>
public sealed unsafe class SharedValue<T> : IDisposable
    where T : unmanaged
{
    private readonly SharedMemoryBlock _block;
    private readonly bool _owned;

    /// <summary>Creates a zeroed value owned by this process.</summary>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public SharedValue()
    {
        _block = SharedMemoryBlock.Create(sizeof(T));
        _owned = true;
        SharedMemoryRegistry.RegisterOwned(_block.Name, this);
    }

    internal SharedValue(SharedMemoryBlock mapped)
    {
        _block = mapped;
    }

    /// <summary>Reads or writes the value (with full fences; atomic only for types of 8 bytes or less).</summary>
    public T Value
    {
        get
        {
            T value = Unsafe.Read<T>(_block.Pointer);
            Interlocked.MemoryBarrier();
            return value;
        }

        set
        {
            Interlocked.MemoryBarrier();
            Unsafe.Write(_block.Pointer, value);
            Interlocked.MemoryBarrier();
        }
    }

    internal SharedMemoryBlock Block => _block;

    internal ref T Ref => ref Unsafe.AsRef<T>(_block.Pointer);

    /// <summary>In the owner's process: unmaps the memory and lets go of it. In a worker: does nothing.</summary>
    public void Dispose()
    {
        if (_owned)
        {
            SharedMemoryRegistry.ForgetOwned(_block.Name);
            _block.Dispose();
        }
    }
}

/// <summary>Atomic operations on shared <c>int</c> and <c>long</c> values; they return what <see cref="Interlocked"/> returns.</summary>
public static class SharedValueExtensions
{
    /// <summary>Adds one, atomically across processes.</summary>
    /// <returns>The new value.</returns>
    public static long Increment(this SharedValue<long> value) => Interlocked.Increment(ref Checked(value).Ref);

    /// <summary>Adds one, atomically across processes.</summary>
    /// <returns>The new value.</returns>
    public static int Increment(this SharedValue<int> value) => Interlocked.Increment(ref Checked(value).Ref);

    /// <summary>Adds <paramref name="amount"/>, atomically across processes.</summary>
    /// <returns>The new value.</returns>
    public static long Add(this SharedValue<long> value, long amount) => Interlocked.Add(ref Checked(value).Ref, amount);

    /// <summary>Adds <paramref name="amount"/>, atomically across processes.</summary>
    /// <returns>The new value.</returns>
    public static int Add(this SharedValue<int> value, int amount) => Interlocked.Add(ref Checked(value).Ref, amount);

    /// <summary>Stores <paramref name="newValue"/> if the value equals <paramref name="comparand"/>, atomically across processes.</summary>
    /// <returns>The value before.</returns>
    public static long CompareExchange(this SharedValue<long> value, long newValue, long comparand) =>
        Interlocked.CompareExchange(ref Checked(value).Ref, newValue, comparand);

    /// <summary>Stores <paramref name="newValue"/> if the value equals <paramref name="comparand"/>, atomically across processes.</summary>
    /// <returns>The value before.</returns>
    public static int CompareExchange(this SharedValue<int> value, int newValue, int comparand) =>
        Interlocked.CompareExchange(ref Checked(value).Ref, newValue, comparand);

    private static SharedValue<T> Checked<T>(SharedValue<T> value)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(value);
        return value;
    }
}

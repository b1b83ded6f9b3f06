using System;
using System.Runtime.CompilerServices;
using ParallelGen.SharedState.Memory;
using ParallelGen.Transport.SharedMemory;

namespace ParallelGen;

/// <summary>
/// An array in memory shared between processes (Python's <c>multiprocessing.Array</c> with <c>lock=False</c>, or
/// <c>shared_memory</c>): passed to a worker, it is not copied: the worker maps the same pages, so a gigabyte costs
/// what a small argument costs. A new array reads as zeros. Reads and writes are plain memory accesses, not
/// synchronised: give each worker its own range, or guard with a <see cref="ProcessLock"/>. The memory goes when the
/// last process holding it exits (also after <c>kill -9</c>); nothing is left in /dev/shm or anywhere else. Linux only.
/// </summary>
/// <typeparam name="T">An unmanaged element type.</typeparam>
public sealed unsafe class SharedArray<T> : IDisposable
    where T : unmanaged
{
    private readonly SharedMemoryBlock _block;
    private readonly bool _owned;

    /// <summary>Creates a zeroed array of <paramref name="length"/> elements, owned by this process.</summary>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public SharedArray(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _block = SharedMemoryBlock.Create((long)length * sizeof(T));
        _owned = true;
        Length = length;
        SharedMemoryRegistry.RegisterOwned(_block.Name, this);
    }

    internal SharedArray(SharedMemoryBlock mapped, int length)
    {
        _block = mapped;
        Length = length;
    }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    internal SharedMemoryBlock Block => _block;

    /// <summary>The element at <paramref name="index"/>, by reference: <c>array[i] = x</c>, <c>array[i] += x</c>.</summary>
    /// <exception cref="IndexOutOfRangeException"><paramref name="index"/> is outside the array.</exception>
    public ref T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Length)
            {
                throw new IndexOutOfRangeException($"Index {index} is outside the shared array of {Length} elements.");
            }

            return ref Unsafe.AsRef<T>((T*)_block.Pointer + index);
        }
    }

    /// <summary>The whole array as a span over the shared memory.</summary>
    public Span<T> AsSpan() => new(_block.Pointer, Length);

    /// <summary>Elements <paramref name="start"/> to <paramref name="start"/> + <paramref name="length"/> as a span.</summary>
    public Span<T> AsSpan(int start, int length) => AsSpan().Slice(start, length);

    /// <summary>
    /// In the owner's process: unmaps the memory and lets go of it (workers that mapped it keep their mapping until
    /// their next call). In a worker: does nothing; the mapping lasts while the owner holds the memory.
    /// </summary>
    public void Dispose()
    {
        if (_owned)
        {
            SharedMemoryRegistry.ForgetOwned(_block.Name);
            _block.Dispose();
        }
    }
}

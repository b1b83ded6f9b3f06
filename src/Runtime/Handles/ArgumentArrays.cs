using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ParallelGen.Handles;

/// <summary>
/// The arrays a worker decodes a batch's argument sets into, at least <c>count</c> long. A map chunk's array is large,
/// and a new one per chunk would be zeroed, faulted in and collected each time, so arrays of up to about 1 MB come
/// from the shared pool and go back to it when the batch ends. Longer ones are allocated and left to the collector,
/// so the pool never keeps a huge chunk's array for the worker's lifetime.
/// </summary>
internal static class ArgumentArrays<T>
{
    /// <summary>The longest pooled array: a power of two (the shared pool's sizes) of at most 1 MB of values.</summary>
    private static readonly int s_maxPooled = (1 << 20) / Unsafe.SizeOf<T>() is > 0 and int most ? 1 << BitOperations.Log2((uint)most) : 0;

    public static T[] Rent(int count) => count <= s_maxPooled ? ArrayPool<T>.Shared.Rent(count) : new T[count];

    /// <summary>Gives an array back to the pool when it came from there, cleared if it holds references.</summary>
    public static void Return(T[] items)
    {
        if (items.Length > 0 && items.Length <= s_maxPooled)
        {
            ArrayPool<T>.Shared.Return(items, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        }
    }
}

using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ParallelGen.Pool;

/// <summary>
/// A counted input of <c>Map</c> as one span, for as long as its chunks take to encode (they are encoded on the
/// caller's thread, before <c>Map</c> returns its handle). An array or a <see cref="List{T}"/> is read where it is;
/// any other collection (<c>Enumerable.Range</c> is one) is copied into a pooled array that goes back to the pool
/// once the chunks are encoded, so a large map leaves no second copy of its input on the large object heap. Any
/// other source is read once into a new array.
/// </summary>
internal ref struct MapInput<T>
{
    private T[]? _rented;

    private MapInput(ReadOnlySpan<T> items, T[]? rented)
    {
        Items = items;
        _rented = rented;
    }

    public ReadOnlySpan<T> Items { get; }

    public static MapInput<T> Of(IEnumerable<T> items)
    {
        switch (items)
        {
            case T[] array:
                return new MapInput<T>(array, rented: null);
            case List<T> list:
                return new MapInput<T>(CollectionsMarshal.AsSpan(list), rented: null);
            case ICollection<T> { Count: > 0 } collection:
                int count = collection.Count;
                T[] rented = ArrayPool<T>.Shared.Rent(count);
                try
                {
                    collection.CopyTo(rented, 0);
                    return new MapInput<T>(rented.AsSpan(0, count), rented);
                }
                catch
                {
                    ArrayPool<T>.Shared.Return(rented, RuntimeHelpers.IsReferenceOrContainsReferences<T>());
                    throw;
                }

            default:
                return new MapInput<T>(items.ToArray(), rented: null);
        }
    }

    /// <summary>Gives a pooled copy back, cleared first when it holds references (the pool must not keep items alive).</summary>
    public void Dispose()
    {
        if (_rented is { } rented)
        {
            _rented = null;
            ArrayPool<T>.Shared.Return(rented, RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        }
    }
}

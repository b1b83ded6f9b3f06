using System;
using System.Buffers;
using System.ComponentModel;

namespace ParallelGen.Serialization;

/// <summary>
/// A growable byte buffer that MemoryPack writes into and the transport sends from without copying.
/// Arrays come from <see cref="ArrayPool{T}"/>; <see cref="Dispose"/> returns them.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PayloadBuffer : IBufferWriter<byte>, IDisposable
{
    private const int MinimumGrowth = 256;
    private byte[] _buffer;
    private int _written;

    /// <summary>Creates a buffer with room for <paramref name="initialCapacity"/> bytes.</summary>
    public PayloadBuffer(int initialCapacity = 256)
    {
        _buffer = ByteBuffers.Rent(Math.Max(initialCapacity, 16));
    }

    /// <summary>Bytes written so far.</summary>
    public int WrittenCount => _written;

    /// <summary>Bytes of storage held.</summary>
    internal int Capacity => _buffer.Length;

    /// <summary>Appends <paramref name="bytes"/>.</summary>
    internal void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _written += bytes.Length;
    }

    /// <summary>The written bytes.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    /// <summary>The written bytes, writable; used to patch headers after the payload is known.</summary>
    internal Span<byte> WrittenSpanMutable => _buffer.AsSpan(0, _written);

    /// <summary>Forgets the written bytes and keeps the storage.</summary>
    public void Clear() => _written = 0;

    /// <summary>Skips <paramref name="count"/> bytes (a header written later through <see cref="WrittenSpanMutable"/>).</summary>
    internal void Reserve(int count)
    {
        EnsureCapacity(count);
        _written += count;
    }

    /// <inheritdoc />
    public void Advance(int count)
    {
        if (count < 0 || _written + count > _buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        _written += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsMemory(_written);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Returns the storage to the pool. The buffer must not be used afterwards.</summary>
    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = Array.Empty<byte>();
        _written = 0;
        if (buffer.Length > 0)
        {
            ByteBuffers.Return(buffer);
        }
    }

    private void EnsureCapacity(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        long newSize = Math.Max((long)_buffer.Length * 2, (long)_written + Math.Max(needed, MinimumGrowth));
        if (newSize > Array.MaxLength)
        {
            newSize = Math.Max(Array.MaxLength, _written + needed);
        }

        byte[] larger = ByteBuffers.Rent(checked((int)newSize));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ByteBuffers.Return(_buffer);
        }

        _buffer = larger;
    }
}

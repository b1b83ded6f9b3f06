using System;
using ParallelGen.Serialization;

namespace ParallelGen.Transport;

/// <summary>
/// One received frame. Its payload lives in a pooled array owned by whoever holds the frame, which must
/// call <see cref="Dispose"/> exactly once.
/// </summary>
internal readonly struct Frame : IDisposable
{
    private readonly byte[]? _buffer;
    private readonly int _length;

    public Frame(FrameKind kind, long id, byte[]? buffer, int length)
    {
        Kind = kind;
        Id = id;
        _buffer = buffer;
        _length = length;
    }

    public FrameKind Kind { get; }

    public long Id { get; }

    public ReadOnlyMemory<byte> Payload => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, _length);

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ByteBuffers.Return(_buffer);
        }
    }
}

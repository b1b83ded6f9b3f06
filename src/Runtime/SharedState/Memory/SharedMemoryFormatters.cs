using System;
using MemoryPack;
using ParallelGen.Transport.SharedMemory;

namespace ParallelGen.SharedState.Memory;

/// <summary>Shared memory travels as (owner pid, fd, memfd name, length); the data itself never crosses the socket.</summary>
internal static class SharedMemoryWire
{
    public static void Write<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, SharedMemoryBlock block, int length)
        where TBufferWriter : System.Buffers.IBufferWriter<byte>
    {
        if (block.IsDisposed)
        {
            throw new ObjectDisposedException(block.Name, "The shared memory was disposed; it cannot be passed to a worker any more.");
        }

        if (block.Fd < 0)
        {
            throw new InvalidOperationException("Shared memory can be passed on only by the process that created it.");
        }

        writer.WriteUnmanaged(Environment.ProcessId, block.Fd, length, block.ByteLength);
        writer.WriteString(block.Name);
    }

    /// <summary>The owner's object (this process created it), or a mapping of the same memory.</summary>
    public static object Read(ref MemoryPackReader reader, out SharedMemoryBlock? mapped, out int length)
    {
        reader.ReadUnmanaged(out int pid, out int fd, out length, out long byteLength);
        string name = reader.ReadString() ?? "";
        mapped = null;
        if (pid == Environment.ProcessId)
        {
            return SharedMemoryRegistry.FindOwned(name) ?? throw new ObjectDisposedException(name, "The shared memory was disposed.");
        }

        mapped = SharedMemoryRegistry.Map(pid, fd, name, byteLength);
        return mapped;
    }
}

internal sealed class SharedArrayFormatter<T> : MemoryPackFormatter<SharedArray<T>>
    where T : unmanaged
{
    public override void Serialize<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, scoped ref SharedArray<T>? value)
    {
        writer.WriteUnmanaged(value is not null);
        if (value is not null)
        {
            SharedMemoryWire.Write(ref writer, value.Block, value.Length);
        }
    }

    public override void Deserialize(ref MemoryPackReader reader, scoped ref SharedArray<T>? value)
    {
        if (!reader.ReadUnmanaged<bool>())
        {
            value = null;
            return;
        }

        object found = SharedMemoryWire.Read(ref reader, out SharedMemoryBlock? mapped, out int length);
        value = mapped is null ? (SharedArray<T>)found : new SharedArray<T>(mapped, length);
    }
}

internal sealed class SharedValueFormatter<T> : MemoryPackFormatter<SharedValue<T>>
    where T : unmanaged
{
    public override void Serialize<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, scoped ref SharedValue<T>? value)
    {
        writer.WriteUnmanaged(value is not null);
        if (value is not null)
        {
            SharedMemoryWire.Write(ref writer, value.Block, 1);
        }
    }

    public override void Deserialize(ref MemoryPackReader reader, scoped ref SharedValue<T>? value)
    {
        if (!reader.ReadUnmanaged<bool>())
        {
            value = null;
            return;
        }

        object found = SharedMemoryWire.Read(ref reader, out SharedMemoryBlock? mapped, out _);
        value = mapped is null ? (SharedValue<T>)found : new SharedValue<T>(mapped);
    }
}

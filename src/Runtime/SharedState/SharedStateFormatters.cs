using System;
using MemoryPack;
using ParallelGen.SharedState.Hub;
using ParallelGen.SharedState.Memory;

namespace ParallelGen.SharedState;

/// <summary>
/// MemoryPack formatters for the shared-state types. A hub object travels as (hub address, token, object id) and
/// decodes to a proxy, or to the original object in the process that owns it (an in-process pool); shared memory
/// travels as (owner pid, fd, length) and decodes to a mapping of the same memory.
/// </summary>
internal static class SharedStateFormatters
{
    public static void Register()
    {
        MemoryPackFormatterProvider.RegisterGenericType(typeof(ProcessPipe<>), typeof(PipeFormatter<>));
        MemoryPackFormatterProvider.RegisterGenericType(typeof(ProcessPipe<,>), typeof(PipeFormatter<,>));
        MemoryPackFormatterProvider.RegisterGenericType(typeof(ProcessDictionary<,>), typeof(DictionaryFormatter<,>));
        MemoryPackFormatterProvider.RegisterGenericType(typeof(ProcessList<>), typeof(ListFormatter<>));
        MemoryPackFormatterProvider.RegisterGenericType(typeof(SharedArray<>), typeof(SharedArrayFormatter<>));
        MemoryPackFormatterProvider.RegisterGenericType(typeof(SharedValue<>), typeof(SharedValueFormatter<>));
        MemoryPackFormatterProvider.Register(new HubFormatter<ProcessLock>(static l => l.Reference, static r => new ProcessLock(r)));
        MemoryPackFormatterProvider.Register(new HubFormatter<ProcessEvent>(static e => e.Reference, static r => new ProcessEvent(r)));
        MemoryPackFormatterProvider.Register(new HubFormatter<ProcessSemaphore>(static s => s.Reference, static r => new ProcessSemaphore(r)));
        MemoryPackFormatterProvider.Register(new HubFormatter<ProcessBarrier>(static b => b.Reference, static r => new ProcessBarrier(r)));
    }
}

/// <summary>Writes a hub object's reference; reads back the owner's original object or a proxy made by <c>create</c>.</summary>
internal class HubFormatter<T> : MemoryPackFormatter<T>
    where T : class
{
    private readonly Func<T, HubRef> _referenceOf;
    private readonly Func<HubRef, T> _create;

    public HubFormatter(Func<T, HubRef> referenceOf, Func<HubRef, T> create)
    {
        _referenceOf = referenceOf;
        _create = create;
    }

    public override void Serialize<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, scoped ref T? value)
    {
        if (value is null)
        {
            writer.WriteUnmanaged((byte)0);
            return;
        }

        writer.WriteUnmanaged((byte)1);
        _referenceOf(value).Write(ref writer);
        OnWritten(value);
    }

    public override void Deserialize(ref MemoryPackReader reader, scoped ref T? value)
    {
        if (reader.ReadUnmanaged<byte>() == 0)
        {
            value = null;
            return;
        }

        HubRef reference = HubRef.Read(ref reader, out HubObject? local);
        value = local?.Owner as T ?? _create(reference);
        OnRead(value);
    }

    protected virtual void OnWritten(T value)
    {
    }

    protected virtual void OnRead(T value)
    {
    }
}

internal sealed class PipeFormatter<TSend, TReceive>() : HubFormatter<ProcessPipe<TSend, TReceive>>(static p => p.Reference, static r => new ProcessPipe<TSend, TReceive>(r, null))
{
    protected override void OnWritten(ProcessPipe<TSend, TReceive> value) => value.OnEncoded();

    protected override void OnRead(ProcessPipe<TSend, TReceive> value) => value.OnDecoded();
}

internal sealed class PipeFormatter<T>() : HubFormatter<ProcessPipe<T>>(static p => p.Reference, static r => new ProcessPipe<T>(r, null))
{
    protected override void OnWritten(ProcessPipe<T> value) => value.OnEncoded();

    protected override void OnRead(ProcessPipe<T> value) => value.OnDecoded();
}

internal sealed class DictionaryFormatter<TKey, TValue>() : HubFormatter<ProcessDictionary<TKey, TValue>>(static d => d.Reference, static r => new ProcessDictionary<TKey, TValue>(r))
    where TKey : notnull;

internal sealed class ListFormatter<T>() : HubFormatter<ProcessList<T>>(static l => l.Reference, static r => new ProcessList<T>(r));

using System;
using System.Threading;
using System.Threading.Tasks;
using MemoryPack;
using ParallelGen.Generated;
using ParallelGen.Serialization;

namespace ParallelGen.Testing;

/// <summary>
/// Handles written by hand in the shape the generator emits (one argument written and read with MemoryPack's
/// writer and reader, a stable FNV-1a id of the full signature), for tests that drive the runtime without the
/// generator. One builder, so the test projects that need such handles do not each copy the generator's output.
/// Methods with several parameters pass their own writer and reader to the handle's constructor, with
/// <see cref="Info"/>.
/// </summary>
public sealed class HandWrittenHandles
{
    private readonly Type _declaringType;

    public HandWrittenHandles(Type declaringType)
    {
        _declaringType = declaringType;
    }

    /// <summary>The identity the generator would give <paramref name="name"/> with <paramref name="signature"/>, e.g. "(int) -&gt; int".</summary>
    public RemoteMethodInfo Info(string name, string signature)
    {
        string full = _declaringType.FullName + "." + name + signature;
        return new RemoteMethodInfo(_declaringType, name, full, StableId(full));
    }

    /// <summary>A one-parameter method with a result.</summary>
    public RemoteFunc<TArg, TResult> Func<TArg, TResult>(string name, string signature, Func<TArg, CancellationToken, ValueTask<TResult>> invoke) => new(
        Info(name, signature),
        static (ref MemoryPackWriter<PayloadBuffer> writer, TArg args) => writer.WriteValue(args),
        static (ref MemoryPackReader reader) => reader.ReadValue<TArg>()!,
        invoke);

    /// <summary>A parameterless method with a result.</summary>
    public RemoteFunc<TResult> Func<TResult>(string name, string signature, Func<CancellationToken, ValueTask<TResult>> invoke) =>
        new(Info(name, signature), invoke);

    /// <summary>A one-parameter void method.</summary>
    public RemoteAction<TArg> Action<TArg>(string name, string signature, Func<TArg, CancellationToken, ValueTask> invoke) => new(
        Info(name, signature),
        static (ref MemoryPackWriter<PayloadBuffer> writer, TArg args) => writer.WriteValue(args),
        static (ref MemoryPackReader reader) => reader.ReadValue<TArg>()!,
        invoke);

    /// <summary>A parameterless void method.</summary>
    public RemoteAction Action(string name, string signature, Func<CancellationToken, ValueTask> invoke) =>
        new(Info(name, signature), invoke);

    /// <summary>FNV-1a over the signature's UTF-16 code units, as the generator computes method ids.</summary>
    public static ulong StableId(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}

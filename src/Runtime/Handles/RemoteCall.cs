using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using MemoryPack;
using ParallelGen.Generated;
using ParallelGen.Serialization;

namespace ParallelGen.Handles;

/// <summary>
/// Both halves of one method's call path, shared by every handle shape: the caller encodes arguments and
/// decodes results; the worker decodes arguments, invokes, and encodes results. Parameterless methods use
/// <see cref="Unit"/> arguments and void methods <see cref="Unit"/> results, which are never written. Unmanaged
/// arguments and results move as one block of raw memory per chunk (<see cref="UnmanagedBlock"/>), the others
/// through the generated MemoryPack writer and reader, one item at a time.
/// </summary>
internal sealed class RemoteCall<TArgs, TResult> : IRemoteInvoker
{
    private readonly ArgumentWriter<TArgs>? _writeArguments;
    private readonly ArgumentReader<TArgs>? _readArguments;
    private readonly Func<TArgs, CancellationToken, ValueTask<TResult>> _invoke;

    public RemoteCall(
        RemoteMethodInfo info,
        ArgumentWriter<TArgs>? writeArguments,
        ArgumentReader<TArgs>? readArguments,
        Func<TArgs, CancellationToken, ValueTask<TResult>> invoke)
    {
        Info = info ?? throw new ArgumentNullException(nameof(info));
        _writeArguments = writeArguments;
        _readArguments = readArguments;
        _invoke = invoke ?? throw new ArgumentNullException(nameof(invoke));
    }

    public RemoteMethodInfo Info { get; }

    private static bool HasResult => typeof(TResult) != typeof(Unit);

    // ---- caller side ----

    /// <summary>Bytes to reserve for <paramref name="count"/> argument sets: exact for unmanaged arguments, a guess otherwise.</summary>
    public static int ArgumentBytesHint(int count) =>
        (int)Math.Min(UnmanagedBlock.Applies<TArgs>() ? UnmanagedBlock.SizeOf<TArgs>(count) : 8L * count, Array.MaxLength);

    public void WriteArguments(PayloadBuffer buffer, ReadOnlySpan<TArgs> items)
    {
        if (_writeArguments is null)
        {
            return;
        }

        if (UnmanagedBlock.Applies<TArgs>())
        {
            buffer.Write(UnmanagedBlock.AsBytes(items));
            return;
        }

        using MemoryPackWriterOptionalState state = MemoryPackStates.RentWriterState();
        var writer = new MemoryPackWriter<PayloadBuffer>(ref buffer, state);
        foreach (TArgs item in items)
        {
            _writeArguments(ref writer, item);
        }

        writer.Flush();
    }

    public void ReadResults(ReadOnlySpan<byte> payload, Span<TResult> destination)
    {
        if (!HasResult)
        {
            return;
        }

        if (UnmanagedBlock.Applies<TResult>())
        {
            Span<byte> target = UnmanagedBlock.AsBytes(destination);
            if (payload.Length != target.Length)
            {
                throw new MemoryPackSerializationException(
                    $"The results of {Info.Signature} came as {payload.Length} bytes, not {target.Length} for {destination.Length} results of {Unsafe.SizeOf<TResult>()} bytes: parent and worker disagree on the signature.");
            }

            payload.CopyTo(target);
            return;
        }

        using MemoryPackReaderOptionalState state = MemoryPackStates.RentReaderState();
        var reader = new MemoryPackReader(payload, state);
        try
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = reader.ReadValue<TResult>()!;
            }
        }
        finally
        {
            reader.Dispose();
        }
    }

    // ---- worker side ----

    public ValueTask InvokeBatchAsync(ReadOnlyMemory<byte> arguments, int count, PayloadBuffer results, CancellationToken cancellationToken)
    {
        TArgs[] items = ReadArguments(arguments.Span, count);
        bool continued = false; // the argument array goes back when the batch ends: here, or at the end of ContinueAsync
        try
        {
            int next = RunSynchronously(items, count, 0, results, cancellationToken, out ValueTask<TResult> pending);
            if (next == count)
            {
                return default;
            }

            continued = true;
            return ContinueAsync(items, count, next, pending, results, cancellationToken);
        }
        finally
        {
            if (!continued)
            {
                ArgumentArrays<TArgs>.Return(items);
            }
        }
    }

    private TArgs[] ReadArguments(ReadOnlySpan<byte> payload, int count)
    {
        // The count comes off the wire: check it against what the payload can hold before allocating for it.
        // Every argument set takes at least one byte; a parameterless method is only ever called once per frame.
        if (_readArguments is null ? count != 1 || !payload.IsEmpty : count < 0 || count > payload.Length)
        {
            throw new ProtocolException($"A call to {Info.Signature} claims {count} argument sets in {payload.Length} bytes.");
        }

        if (_readArguments is not null && UnmanagedBlock.Applies<TArgs>())
        {
            return ReadArgumentBlock(payload, count);
        }

        TArgs[] items = ArgumentArrays<TArgs>.Rent(count);
        if (_readArguments is not null)
        {
            ReadEncodedArguments(payload, count, items, _readArguments);
        }

        return items;
    }

    /// <summary>
    /// Arguments that are not unmanaged, one MemoryPack read per set. A method of its own, never inlined: compiling
    /// it loads MemoryPack, which a worker whose calls move only unmanaged values then never maps.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ReadEncodedArguments(ReadOnlySpan<byte> payload, int count, TArgs[] items, ArgumentReader<TArgs> readArguments)
    {
        using MemoryPackReaderOptionalState state = MemoryPackStates.RentReaderState();
        var reader = new MemoryPackReader(payload, state);
        try
        {
            for (int i = 0; i < count; i++)
            {
                items[i] = readArguments(ref reader);
            }

            if (reader.Remaining != 0)
            {
                throw new MemoryPackSerializationException(
                    $"The arguments for {Info.Signature} had {reader.Remaining} unread bytes: parent and worker disagree on the signature.");
            }
        }
        finally
        {
            reader.Dispose();
        }
    }

    /// <summary>Unmanaged arguments: the payload must be exactly <paramref name="count"/> values, checked before allocating for them.</summary>
    private TArgs[] ReadArgumentBlock(ReadOnlySpan<byte> payload, int count)
    {
        long expected = UnmanagedBlock.SizeOf<TArgs>(count);
        if (payload.Length != expected)
        {
            UnmanagedBlock.ThrowSizeMismatch(Info.Signature, count, Unsafe.SizeOf<TArgs>(), payload.Length);
        }

        TArgs[] items = ArgumentArrays<TArgs>.Rent(count);
        payload.CopyTo(UnmanagedBlock.AsBytes(items.AsSpan(0, count)));
        return items;
    }

    /// <summary>
    /// Runs the first <paramref name="count"/> items from <paramref name="start"/> while they complete synchronously,
    /// appending their results. Returns the index of the first item still pending, or <paramref name="count"/> when
    /// all are done; the results of the items before it are written.
    /// </summary>
    private int RunSynchronously(TArgs[] items, int count, int start, PayloadBuffer results, CancellationToken cancellationToken, out ValueTask<TResult> pending) =>
        HasResult && UnmanagedBlock.Applies<TResult>()
            ? RunIntoBlock(items, count, start, results, cancellationToken, out pending)
            : RunThroughWriter(items, count, start, results, cancellationToken, out pending);

    /// <summary>
    /// <see cref="RunSynchronously"/> for unmanaged results: each is copied into room taken from the buffer up front,
    /// and the buffer advanced over the finished ones when the loop stops (done, pending, or thrown).
    /// </summary>
    private int RunIntoBlock(TArgs[] items, int count, int start, PayloadBuffer results, CancellationToken cancellationToken, out ValueTask<TResult> pending)
    {
        pending = default;
        Span<byte> room = UnmanagedBlock.Room<TResult>(results, count - start);
        int written = 0;
        int i = start;
        try
        {
            for (; i < count; i++)
            {
                ValueTask<TResult> call = _invoke(items[i], cancellationToken);
                if (!call.IsCompletedSuccessfully)
                {
                    pending = call;
                    return i;
                }

                if (room.Length - written < Unsafe.SizeOf<TResult>())
                {
                    results.Advance(written);
                    written = 0;
                    room = UnmanagedBlock.Room<TResult>(results, count - i);
                }

                written = UnmanagedBlock.Put(room, written, call.Result);
            }

            return i;
        }
        finally
        {
            results.Advance(written);
        }
    }

    /// <summary>
    /// <see cref="RunSynchronously"/> for the other results, written through one MemoryPack writer (a ref struct, so
    /// it cannot live across an await).
    /// </summary>
    private int RunThroughWriter(TArgs[] items, int count, int start, PayloadBuffer results, CancellationToken cancellationToken, out ValueTask<TResult> pending)
    {
        pending = default;
        using MemoryPackWriterOptionalState state = MemoryPackStates.RentWriterState();
        var writer = new MemoryPackWriter<PayloadBuffer>(ref results, state);
        int i = start;
        try
        {
            for (; i < count; i++)
            {
                ValueTask<TResult> call = _invoke(items[i], cancellationToken);
                if (!call.IsCompletedSuccessfully)
                {
                    pending = call;
                    return i;
                }

                if (HasResult)
                {
                    writer.WriteValue(call.Result);
                }
            }

            return i;
        }
        finally
        {
            writer.Flush();
        }
    }

    private async ValueTask ContinueAsync(TArgs[] items, int count, int index, ValueTask<TResult> pending, PayloadBuffer results, CancellationToken cancellationToken)
    {
        try
        {
            while (index < count)
            {
                TResult value = await pending.ConfigureAwait(false);
                WriteResult(results, value);
                index = RunSynchronously(items, count, index + 1, results, cancellationToken, out pending);
            }
        }
        finally
        {
            ArgumentArrays<TArgs>.Return(items);
        }
    }

    private static void WriteResult(PayloadBuffer results, TResult value)
    {
        if (!HasResult)
        {
            return;
        }

        if (UnmanagedBlock.Applies<TResult>())
        {
            UnmanagedBlock.Append(results, value);
            return;
        }

        using MemoryPackWriterOptionalState state = MemoryPackStates.RentWriterState();
        var writer = new MemoryPackWriter<PayloadBuffer>(ref results, state);
        writer.WriteValue(value);
        writer.Flush();
    }
}

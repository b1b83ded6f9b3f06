using System;
using System.Threading;
using System.Threading.Tasks;
using MemoryPack;
using ParallelGen.Generated;
using ParallelGen.Serialization;

namespace ParallelGen.Handles;

/// <summary>
/// Both halves of one method's call path, shared by every handle shape: the caller encodes arguments and
/// decodes results; the worker decodes arguments, invokes, and encodes results. Parameterless methods use
/// <see cref="Unit"/> arguments and void methods <see cref="Unit"/> results, which are never written.
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

    public void WriteArguments(PayloadBuffer buffer, ReadOnlySpan<TArgs> items)
    {
        if (_writeArguments is null)
        {
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
        int next = RunSynchronously(items, 0, results, cancellationToken, out ValueTask<TResult> pending);
        return next == items.Length ? default : ContinueAsync(items, next, pending, results, cancellationToken);
    }

    private TArgs[] ReadArguments(ReadOnlySpan<byte> payload, int count)
    {
        // The count comes off the wire: check it against what the payload can hold before allocating for it.
        // Every argument set takes at least one byte; a parameterless method is only ever called once per frame.
        if (_readArguments is null ? count != 1 || !payload.IsEmpty : count < 0 || count > payload.Length)
        {
            throw new ProtocolException($"A call to {Info.Signature} claims {count} argument sets in {payload.Length} bytes.");
        }

        var items = new TArgs[count];
        if (_readArguments is null)
        {
            return items;
        }

        using MemoryPackReaderOptionalState state = MemoryPackStates.RentReaderState();
        var reader = new MemoryPackReader(payload, state);
        try
        {
            for (int i = 0; i < count; i++)
            {
                items[i] = _readArguments(ref reader);
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

        return items;
    }

    /// <summary>
    /// Runs items while they complete synchronously, writing results through one MemoryPack writer (a ref
    /// struct, so it cannot live across an await). Returns the index of the first item still pending, or
    /// <c>items.Length</c> when all are done.
    /// </summary>
    private int RunSynchronously(TArgs[] items, int start, PayloadBuffer results, CancellationToken cancellationToken, out ValueTask<TResult> pending)
    {
        pending = default;
        using MemoryPackWriterOptionalState state = MemoryPackStates.RentWriterState();
        var writer = new MemoryPackWriter<PayloadBuffer>(ref results, state);
        int i = start;
        try
        {
            for (; i < items.Length; i++)
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

    private async ValueTask ContinueAsync(TArgs[] items, int index, ValueTask<TResult> pending, PayloadBuffer results, CancellationToken cancellationToken)
    {
        while (index < items.Length)
        {
            TResult value = await pending.ConfigureAwait(false);
            WriteResult(results, value);
            index = RunSynchronously(items, index + 1, results, cancellationToken, out pending);
        }
    }

    private static void WriteResult(PayloadBuffer results, TResult value)
    {
        if (!HasResult)
        {
            return;
        }

        using MemoryPackWriterOptionalState state = MemoryPackStates.RentWriterState();
        var writer = new MemoryPackWriter<PayloadBuffer>(ref results, state);
        writer.WriteValue(value);
        writer.Flush();
    }
}

using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using ParallelGen.Backends;
using ParallelGen.Scheduling;
using ParallelGen.Serialization;

namespace ParallelGen.Pool;

/// <summary>What an imap's chunks report to: the method they call, and where a finished chunk goes.</summary>
internal interface IChunkOwner<TArgs, TResult>
{
    RemoteFunc<TArgs, TResult> Method { get; }

    /// <summary>The chunk succeeded or failed; called once, on the thread that completed it.</summary>
    void OnChunkDone(StreamChunk<TArgs, TResult> chunk);
}

/// <summary>
/// One chunk of an <c>Imap</c>/<c>ImapUnordered</c>: a task that keeps its own results (or its error) for the
/// enumeration to take, and tells its owner when it is done.
/// </summary>
internal sealed class StreamChunk<TArgs, TResult> : PoolTask
{
    private readonly IChunkOwner<TArgs, TResult> _owner;
    private readonly long _offset;
    private TResult _single = default!;
    private TResult[]? _results;
    private Exception? _error;

    /// <param name="owner">Where the chunk reports.</param>
    /// <param name="items">Its arguments, encoded here and not kept.</param>
    /// <param name="offset">The position of its first item in the input (for messages).</param>
    /// <param name="cancellationToken">Cancels the chunk.</param>
    public StreamChunk(IChunkOwner<TArgs, TResult> owner, ReadOnlySpan<TArgs> items, long offset, CancellationToken cancellationToken)
        : base(owner.Method)
    {
        _owner = owner;
        _offset = offset;
        Count = items.Length;
        CancellationToken = cancellationToken;
        PayloadBuffer buffer = EncodedCall.Begin(items.Length * 8);
        try
        {
            owner.Method.Call.WriteArguments(buffer, items);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }

        Call = EncodedCall.End(owner.Method, buffer, items.Length);
    }

    /// <summary>Items in the chunk.</summary>
    public int Count { get; }

    /// <summary>Owner: set under the owner's lock once the chunk is done and its outcome is stored.</summary>
    public bool Finished { get; set; }

    public override string Description => $"{Method.Signature} (items {_offset}..{_offset + Count - 1} of a map)";

    /// <summary>Throws the chunk's error, if it failed.</summary>
    public void ThrowIfFailed()
    {
        if (_error is not null)
        {
            ExceptionDispatchInfo.Throw(_error);
        }
    }

    /// <summary>The result of the chunk's item <paramref name="index"/>.</summary>
    public TResult ResultAt(int index) => _results is null ? _single : _results[index];

    protected override void OnSucceeded(ReadOnlySpan<byte> results)
    {
        // One item, the usual chunk of an imap: its result needs no array.
        if (Count == 1)
        {
            TResult value = default!;
            _owner.Method.Call.ReadResults(results, new Span<TResult>(ref value));
            _single = value;
        }
        else
        {
            var values = new TResult[Count];
            _owner.Method.Call.ReadResults(results, values);
            _results = values;
        }

        _owner.OnChunkDone(this);
    }

    protected override void OnFailed(Exception error)
    {
        _error = error;
        _owner.OnChunkDone(this);
    }
}

using System;
using System.Collections.Generic;
using System.Threading;
using ParallelGen.Backends;
using ParallelGen.Handles;
using ParallelGen.Scheduling;
using ParallelGen.Serialization;

namespace ParallelGen.Pool;

/// <summary>
/// A <c>Map</c>: the input cut into chunks, each a task whose results land at its offset, so the output keeps
/// input order whatever order chunks finish in. The first failure fails the whole map at once and cancels
/// the chunks still queued (Python waits for every chunk first; there is nothing to gain from waiting).
/// </summary>
internal sealed class MapOperation<TArgs, TResult>
{
    private readonly RemoteCall<TArgs, TResult> _call;
    private readonly Action<TResult[]> _succeed;
    private readonly Action<Exception> _fail;
    private readonly TResult[] _results;
    private readonly List<Chunk> _chunks = new();
    private int _remaining;
    private int _finished;

    public MapOperation(RemoteMethod method, RemoteCall<TArgs, TResult> call, ReadOnlySpan<TArgs> items, int chunkSize, Action<TResult[]> succeed, Action<Exception> fail, CancellationToken cancellationToken)
    {
        _call = call;
        _succeed = succeed;
        _fail = fail;
        _results = new TResult[items.Length];
        for (int offset = 0; offset < items.Length; offset += chunkSize)
        {
            int count = Math.Min(chunkSize, items.Length - offset);
            _chunks.Add(new Chunk(this, method, items.Slice(offset, count), offset, cancellationToken));
        }

        _remaining = _chunks.Count;
    }

    public IReadOnlyList<PoolTask> Tasks => _chunks;

    /// <summary>Completes at once when there is nothing to run.</summary>
    public void CompleteIfEmpty()
    {
        if (_chunks.Count == 0 && Interlocked.Exchange(ref _finished, 1) == 0)
        {
            _succeed(_results);
        }
    }

    private void OnChunkSucceeded()
    {
        if (Interlocked.Decrement(ref _remaining) == 0 && Interlocked.Exchange(ref _finished, 1) == 0)
        {
            _succeed(_results);
        }
    }

    private void OnChunkFailed(Exception error, Action<PoolTask> cancelOthers)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return;
        }

        _fail(error);
        foreach (Chunk chunk in _chunks)
        {
            if (!chunk.IsDone)
            {
                cancelOthers(chunk);
            }
        }
    }

    /// <summary>Set by the pool: how a failed map withdraws its other chunks.</summary>
    public Action<PoolTask> CancelChunk { get; set; } = static _ => { };

    private sealed class Chunk : PoolTask
    {
        private readonly MapOperation<TArgs, TResult> _owner;
        private readonly int _offset;
        private readonly int _count;

        public Chunk(MapOperation<TArgs, TResult> owner, RemoteMethod method, ReadOnlySpan<TArgs> items, int offset, CancellationToken cancellationToken)
            : base(method)
        {
            _owner = owner;
            _offset = offset;
            _count = items.Length;
            CancellationToken = cancellationToken;
            PayloadBuffer buffer = EncodedCall.Begin(RemoteCall<TArgs, TResult>.ArgumentBytesHint(items.Length));
            try
            {
                owner._call.WriteArguments(buffer, items);
            }
            catch
            {
                buffer.Dispose();
                throw;
            }

            Call = EncodedCall.End(method, buffer, items.Length);
        }

        public override string Description => $"{Method.Signature} (items {_offset}..{_offset + _count - 1} of a map)";

        protected override void OnSucceeded(ReadOnlySpan<byte> results)
        {
            _owner._call.ReadResults(results, _owner._results.AsSpan(_offset, _count));
            _owner.OnChunkSucceeded();
        }

        protected override void OnFailed(Exception error) => _owner.OnChunkFailed(error, _owner.CancelChunk);
    }
}

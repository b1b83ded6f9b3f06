using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using ParallelGen.Channels;
using ParallelGen.Serialization;
using ParallelGen.SharedState.Hub;
using ParallelGen.SharedState.Pipes;

namespace ParallelGen;

/// <summary>Creates pipes: Python's <c>a, b = multiprocessing.Pipe()</c>.</summary>
public static class ProcessPipe
{
    /// <summary>Two connected duplex ends: what one sends, the other receives, in order.</summary>
    /// <typeparam name="T">The item type; MemoryPack-serializable.</typeparam>
    public static (ProcessPipe<T> First, ProcessPipe<T> Second) Create<T>()
    {
        (PipeEnd first, PipeEnd second) = PipeEnd.CreatePair(SharedStateHub.Current);
        return (new ProcessPipe<T>(first.Hub.RefTo(first.Id), first), new ProcessPipe<T>(second.Hub.RefTo(second.Id), second));
    }

    /// <summary>Two connected ends for a request/reply conversation: the first sends <typeparamref name="TRequest"/> and receives <typeparamref name="TReply"/>, the second the other way round.</summary>
    public static (ProcessPipe<TRequest, TReply> First, ProcessPipe<TReply, TRequest> Second) Create<TRequest, TReply>()
    {
        (PipeEnd first, PipeEnd second) = PipeEnd.CreatePair(SharedStateHub.Current);
        return (new ProcessPipe<TRequest, TReply>(first.Hub.RefTo(first.Id), first), new ProcessPipe<TReply, TRequest>(second.Hub.RefTo(second.Id), second));
    }
}

/// <summary>
/// One end of a pipe that sends <typeparamref name="TSend"/> and receives <typeparamref name="TReceive"/>. Pass it as an
/// argument to a <c>[ProcessParallel]</c> method: the worker's parameter is a handle on the same end, and the end then
/// belongs to that worker: when the worker closes it, exits or dies, the other end receives everything sent before and
/// then <see cref="EndOfStreamException"/>. Closing the caller's handle of an end it passed on does not close the end
/// (Python's recipe closes it right after starting the child).
/// </summary>
public class ProcessPipe<TSend, TReceive> : IDisposable
{
    private const string Name = "pipe end";
    private readonly HubRef _ref;
    private int _closed;

    internal ProcessPipe(HubRef reference, PipeEnd? local)
    {
        _ref = reference;
        if (local is not null)
        {
            local.Owner = this;
        }
    }

    internal HubRef Reference => _ref;

    /// <summary>Sends an item to the other end.</summary>
    /// <exception cref="IOException">The other end is closed.</exception>
    /// <exception cref="EndOfStreamException">The process that created the pipe is gone.</exception>
    /// <exception cref="ObjectDisposedException">This handle was closed.</exception>
    public void Send(TSend item)
    {
        ThrowIfClosed();
        HubReply reply = _ref.Call(PipeEnd.Send, MemoryPackStates.Serialize(item));
        if (reply.Status == HubStatus.PeerClosed)
        {
            throw new IOException("The other end of the pipe is closed.");
        }

        ThrowIfFailed(reply);
    }

    /// <summary>Takes the next item, waiting as long as it takes.</summary>
    /// <exception cref="EndOfStreamException">The other end closed (or its process died) and everything it sent was received.</exception>
    public TReceive Receive() => Receive(Timeout.InfiniteTimeSpan);

    /// <summary>Takes the next item, waiting at most <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">Nothing arrived in time.</exception>
    /// <exception cref="EndOfStreamException">The other end closed (or its process died) and everything it sent was received.</exception>
    public TReceive Receive(TimeSpan timeout)
    {
        ThrowIfClosed();
        HubReply reply = _ref.Call(PipeEnd.Receive, default, HubRef.ToMilliseconds(timeout));
        if (reply.Status == HubStatus.Timeout)
        {
            throw new TimeoutException($"Nothing arrived on the pipe within {timeout}.");
        }

        ThrowIfFailed(reply);
        return ChannelItemCodec.Decode<TReceive>(reply.Payload);
    }

    /// <summary>Takes the next item if one is waiting.</summary>
    /// <exception cref="EndOfStreamException">The other end closed and everything it sent was received.</exception>
    public bool TryReceive(out TReceive item)
    {
        ThrowIfClosed();
        HubReply reply = _ref.Call(PipeEnd.Receive, default, 0);
        if (reply.Status == HubStatus.Timeout)
        {
            item = default!;
            return false;
        }

        ThrowIfFailed(reply);
        item = ChannelItemCodec.Decode<TReceive>(reply.Payload);
        return true;
    }

    /// <summary>
    /// Waits at most <paramref name="timeout"/> until <see cref="Receive()"/> would not block (Python's <c>poll</c>): an item
    /// is waiting, or the other end is closed and drained. Takes nothing.
    /// </summary>
    public bool Poll(TimeSpan timeout)
    {
        ThrowIfClosed();
        HubReply reply = _ref.Call(PipeEnd.Poll, default, HubRef.ToMilliseconds(timeout));
        if (reply.Status == HubStatus.Timeout)
        {
            return false;
        }

        ThrowIfFailed(reply);
        return true;
    }

    /// <summary>Takes the next item without blocking a thread.</summary>
    /// <exception cref="OperationCanceledException">Cancelled before an item arrived (an item already taken is returned instead).</exception>
    /// <exception cref="EndOfStreamException">The other end closed and everything it sent was received.</exception>
    public async ValueTask<TReceive> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        HubReply reply = await _ref.CallAsync(PipeEnd.Receive, default, Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        if (reply.Status == HubStatus.Cancelled)
        {
            throw new OperationCanceledException("The receive was cancelled.", cancellationToken);
        }

        ThrowIfFailed(reply);
        return ChannelItemCodec.Decode<TReceive>(reply.Payload);
    }

    /// <summary>
    /// Closes this handle. When this process owns the end, the end closes: the other end receives what was sent and then
    /// <see cref="EndOfStreamException"/>. Closing twice does nothing.
    /// </summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            // A lost connection or an end already gone: closed either way.
            _ref.Call(PipeEnd.Close);
        }
    }

    /// <summary>Same as <see cref="Close"/>.</summary>
    public void Dispose()
    {
        Close();
        GC.SuppressFinalize(this);
    }

    internal void OnEncoded()
    {
        if (_ref.IsLocal)
        {
            _ref.Call(PipeEnd.Transfer);
        }
    }

    /// <summary>The process that decodes an end owns it from then on (in-process pools: the caller again).</summary>
    internal void OnDecoded() => _ref.Call(PipeEnd.Claim);

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _closed) != 0, this);

    private static void ThrowIfFailed(HubReply reply)
    {
        switch (reply.Status)
        {
            case HubStatus.Ok:
                return;
            case HubStatus.EndOfStream:
                throw new EndOfStreamException("The other end of the pipe was closed (or its process exited) and everything it sent has been received.");
            case HubStatus.ConnectionLost:
                throw new EndOfStreamException("The process that created the pipe has exited or was killed.");
            case HubStatus.Disposed:
                throw new ObjectDisposedException(Name, "This end of the pipe was closed by the process that owns it.");
            default:
                throw SharedStateErrors.For(reply, Name);
        }
    }
}

/// <summary>One end of a pipe whose items go both ways as <typeparamref name="T"/>; see <see cref="ProcessPipe{TSend, TReceive}"/>.</summary>
/// <typeparam name="T">The item type; MemoryPack-serializable.</typeparam>
public sealed class ProcessPipe<T> : ProcessPipe<T, T>
{
    internal ProcessPipe(HubRef reference, PipeEnd? local)
        : base(reference, local)
    {
    }
}

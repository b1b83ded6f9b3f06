namespace ParallelGen.Transport;

/// <summary>What a frame carries. Values are part of the wire format: never renumber.</summary>
internal enum FrameKind : byte
{
    /// <summary>Worker → parent, first frame: the launch token and the worker's pid.</summary>
    Hello = 1,

    /// <summary>Parent → worker: load an assembly (UTF-8 full name) so its methods become callable.</summary>
    LoadAssembly = 2,

    /// <summary>Parent → worker: run a method. Payload: method id (u64), argument-set count (i32), arguments.</summary>
    Invoke = 3,

    /// <summary>Parent → worker: signal the cancellation token of call <c>id</c>, or skip it if not started.</summary>
    Cancel = 4,

    /// <summary>Parent → worker: finish queued calls, then exit with code <c>id</c>.</summary>
    Shutdown = 5,

    /// <summary>
    /// Parent → worker: the answer to the worker's oldest unanswered <see cref="ChannelItem"/> for the bounded queue
    /// <c>id</c>; payload one byte, <see cref="ChannelAcknowledgement"/>. The worker's <c>Put</c> waits for it.
    /// </summary>
    ChannelAck = 8,

    /// <summary>Parent → worker: <see cref="Invoke"/> under the caller's trace (see <c>InvokePayload</c>).</summary>
    InvokeTraced = 7,

    /// <summary>Parent → worker: drop call <c>id</c> if it has not started (answered by <see cref="Withdrawn"/>), else ignore.</summary>
    Withdraw = 6,

    /// <summary>Worker → parent: call <c>id</c> was dropped unstarted after a <see cref="Withdraw"/>.</summary>
    Withdrawn = 19,

    /// <summary>Worker → parent: call <c>id</c> succeeded; payload is its results.</summary>
    Result = 16,

    /// <summary>Worker → parent: call <c>id</c> failed; payload is a <see cref="Protocol.RemoteError"/>.</summary>
    Error = 17,

    /// <summary>Worker → parent: an item for the parent's object <c>id</c> (a <c>ProcessQueue</c> or <c>IProgress</c>); payload is the encoded item.</summary>
    ChannelItem = 20,

    /// <summary>Worker → parent: console text written by user code; <c>id</c> is 1 for stdout, 2 for stderr.</summary>
    Output = 18,
}

/// <summary>The payload byte of a <see cref="FrameKind.ChannelAck"/>.</summary>
internal static class ChannelAcknowledgement
{
    /// <summary>The item is in the queue.</summary>
    public const byte Accepted = 0;

    /// <summary>The item was not added: the queue was completed, or is gone.</summary>
    public const byte Refused = 1;
}

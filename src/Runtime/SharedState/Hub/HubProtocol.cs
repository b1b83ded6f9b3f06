namespace ParallelGen.SharedState.Hub;

/// <summary>How a hub answers one request.</summary>
internal enum HubStatus : byte
{
    Ok = 0,

    /// <summary>A timed wait ran out (also: a try-operation found nothing).</summary>
    Timeout = 1,

    /// <summary>The caller cancelled a waiting request before it was answered.</summary>
    Cancelled = 2,

    /// <summary>The object was disposed in its owner's process (or never existed there).</summary>
    Disposed = 3,

    /// <summary>The connection to the owner's process is gone: it exited or was killed. Made up by the client.</summary>
    ConnectionLost = 4,

    /// <summary>A pipe end was read after the other end closed and everything it sent was received.</summary>
    EndOfStream = 5,

    /// <summary>A pipe end sent to an end that is closed.</summary>
    PeerClosed = 6,

    /// <summary>A lock was acquired after its previous holder's process died holding it.</summary>
    Abandoned = 7,

    /// <summary>A lock was released by a process that does not hold it.</summary>
    NotHeld = 8,

    /// <summary>A missing key or an index out of range; the payload is the message.</summary>
    NotFound = 9,

    /// <summary>Anything else that went wrong in the hub; the payload is the message.</summary>
    Error = 10,
}

/// <summary>Operation codes; each object type reads the ones it knows.</summary>
internal static class HubOp
{
    /// <summary>Sent with object id 0: withdraw the waiting request whose id is the payload.</summary>
    public const byte CancelRequest = 255;
}

/// <summary>One answer: a status and, for <see cref="HubStatus.Ok"/>, the operation's encoded result.</summary>
internal readonly record struct HubReply(HubStatus Status, byte[] Payload)
{
    public static readonly byte[] Empty = [];

    public static HubReply Of(HubStatus status) => new(status, Empty);

    public bool IsTrue => Status == HubStatus.Ok && Payload.Length > 0 && Payload[0] != 0;
}

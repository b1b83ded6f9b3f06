using System;
using ParallelGen.Transport;

namespace ParallelGen.Channels;

/// <summary>
/// Where channel objects decode to. In a worker process they become proxies that send items to the parent over
/// the worker's connection; in the process that owns them (in-process mode) they decode to the original objects.
/// </summary>
internal static class ChannelScope
{
    [ThreadStatic]
    private static bool t_decodingLocally;

    /// <summary>The worker's connection to its parent, when this process is a worker.</summary>
    public static FrameSender? WorkerConnection { get; set; }

    /// <summary>True while a call is decoded in the process that owns its channel objects.</summary>
    public static bool DecodesLocally => t_decodingLocally || WorkerConnection is null;

    /// <summary>Marks the current thread as decoding a call in-process until disposed.</summary>
    public static LocalDecoding BeginLocal()
    {
        t_decodingLocally = true;
        return default;
    }

    public readonly struct LocalDecoding : IDisposable
    {
        public void Dispose() => t_decodingLocally = false;
    }

    /// <summary>Sends one item to the parent's object <paramref name="channelId"/>.</summary>
    public static void Send(long channelId, ReadOnlySpan<byte> item)
    {
        FrameSender connection = WorkerConnection
            ?? throw new InvalidOperationException("Items can be sent to the caller only from inside a worker process.");
        connection.Send(FrameKind.ChannelItem, channelId, item);
    }
}

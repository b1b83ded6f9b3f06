using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using ParallelGen.Transport;

namespace ParallelGen.Channels;

/// <summary>
/// Where channel objects decode to. In a worker process they become proxies that send items to the parent over
/// the worker's connection; in the process that owns them (in-process mode) they decode to the original objects.
/// </summary>
internal static class ChannelScope
{
    private static readonly Dictionary<long, Queue<TaskCompletionSource<bool>>> s_awaitingAnswers = new();

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
    public static void Send(long channelId, ReadOnlySpan<byte> item) => Connection().Send(FrameKind.ChannelItem, channelId, item);

    /// <summary>
    /// Sends one item to the parent's bounded queue <paramref name="channelId"/>; the task completes with the parent's
    /// answer (<see cref="Acknowledge"/>): true once the item is in the queue, which may wait for room; false if refused.
    /// </summary>
    public static Task<bool> SendAndAwaitRoom(long channelId, ReadOnlySpan<byte> item)
    {
        FrameSender connection = Connection();
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (s_awaitingAnswers)
        {
            // Registered and sent under one lock: the parent answers a channel's items in the order they were sent,
            // so the oldest waiter is always the one an answer belongs to.
            if (!s_awaitingAnswers.TryGetValue(channelId, out Queue<TaskCompletionSource<bool>>? waiting))
            {
                s_awaitingAnswers[channelId] = waiting = new Queue<TaskCompletionSource<bool>>();
            }

            connection.Send(FrameKind.ChannelItem, channelId, item);
            waiting.Enqueue(answer);
        }

        return answer.Task;
    }

    /// <summary>The parent's answer to the oldest item this worker sent to bounded queue <paramref name="channelId"/>.</summary>
    public static void Acknowledge(long channelId, bool accepted)
    {
        TaskCompletionSource<bool>? answer = null;
        lock (s_awaitingAnswers)
        {
            if (s_awaitingAnswers.TryGetValue(channelId, out Queue<TaskCompletionSource<bool>>? waiting) && waiting.TryDequeue(out answer) && waiting.Count == 0)
            {
                s_awaitingAnswers.Remove(channelId);
            }
        }

        // No waiter: an answer to an item of an unbounded queue or a progress object, which nobody waits for.
        answer?.TrySetResult(accepted);
    }

    private static FrameSender Connection() => WorkerConnection
        ?? throw new InvalidOperationException("Items can be sent to the caller only from inside a worker process.");
}

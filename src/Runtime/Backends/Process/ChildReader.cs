using System;
using System.Net.Sockets;
using System.Text;
using MemoryPack;
using ParallelGen.Channels;
using ParallelGen.Protocol;
using ParallelGen.Telemetry;
using ParallelGen.Transport;

namespace ParallelGen.Backends.Process;

/// <summary>
/// Reads one worker's frames on a dedicated thread and turns them into events: answers go to the scheduler,
/// console text to this process's console, queue and progress items to their objects here.
/// </summary>
internal static class ChildReader
{
    /// <summary>Reads until the connection ends; returns why it ended (null for a clean end of stream).</summary>
    public static Exception? Run(ChildWorker worker, IWorkerEvents events)
    {
        FrameReader reader = worker.Reader!;
        bool batching = false;
        try
        {
            while (reader.TryRead(out Frame frame))
            {
                using (frame)
                {
                    PoolMetrics.BytesReceived.Add(FrameHeader.Size + frame.Payload.Length);

                    // Every answer one receive brought is handled before new calls go out: one send for them all.
                    if (!batching && reader.HasBufferedFrame)
                    {
                        batching = true;
                        events.BeginBatch();
                    }

                    if (!Dispatch(worker, events, frame))
                    {
                        throw new ProtocolException($"Worker {worker.ProcessId} answered call {frame.Id}, which it does not have.");
                    }
                }

                if (batching && !reader.HasBufferedFrame)
                {
                    batching = false;
                    events.EndBatch();
                }
            }

            return null;
        }
        catch (Exception exception) when (exception is SocketException or ProtocolException or ObjectDisposedException or MemoryPackSerializationException)
        {
            return exception;
        }
        finally
        {
            if (batching)
            {
                events.EndBatch();
            }
        }
    }

    private static bool Dispatch(ChildWorker worker, IWorkerEvents events, Frame frame)
    {
        switch (frame.Kind)
        {
            case FrameKind.Result:
                worker.Answered();
                return events.OnAnswered(worker, frame.Id, frame.Payload.Span);
            case FrameKind.Error:
                worker.Answered();
                return events.OnFailed(worker, frame.Id, RemoteError.Decode(frame.Payload.Span, worker.ProcessId));
            case FrameKind.Withdrawn:
                worker.Answered();
                return events.OnWithdrawn(worker, frame.Id);
            case FrameKind.Output:
                WriteOutput(frame);
                return true;
            case FrameKind.ChannelItem:
                DeliverChannelItem(worker, frame);
                return true;
            default:
                throw new ProtocolException($"Worker {worker.ProcessId} sent an unexpected frame of kind {(byte)frame.Kind}.");
        }
    }

    /// <summary>An item a worker put in a queue or reported to a progress object of this process.</summary>
    private static void DeliverChannelItem(ChildWorker worker, Frame frame)
    {
        try
        {
            ChannelRegistry.Deliver(frame.Id, frame.Payload.Span, worker);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A throwing IProgress.Report is the caller's bug, not the worker's: it must not stop this reader.
            Console.Error.WriteLine($"ParallelGen: delivering an item from a worker failed: {exception}");
        }
    }

    private static void WriteOutput(Frame frame)
    {
        string text = Encoding.UTF8.GetString(frame.Payload.Span);
        if (frame.Id == 2)
        {
            Console.Error.Write(text);
        }
        else
        {
            Console.Out.Write(text);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using ParallelGen.Channels;
using ParallelGen.Generated;
using ParallelGen.Protocol;
using ParallelGen.Serialization;
using ParallelGen.Transport;
using ParallelGen.Transport.SharedMemory;

namespace ParallelGen.Hosting;

/// <summary>
/// The worker process: connects to its parent, then reads frames on one thread and runs calls, one at a
/// time and in arrival order, on another. When the parent's socket closes (the parent exited, was killed,
/// or terminated the pool) the worker exits: that EOF, not any code in the parent, is what prevents orphans.
/// When the parent lets it go (a Shutdown frame), <see cref="Run"/> returns the exit code to Main, and the process
/// ends once the foreground threads that calls started have finished.
/// </summary>
internal sealed partial class WorkerHost
{
    private const int RetainedResultBufferBytes = 1024 * 1024;
    private static readonly TimeSpan s_exitWatchdog = TimeSpan.FromSeconds(3);

    private readonly AnswerSender _answers;
    private readonly IdleTrimmer _trimmer;
    private readonly Queue<Frame> _queue = new(); // CoreLib's: LinkedList would load System.Collections' code into every worker
    private readonly HashSet<long> _cancelledBeforeStart = new();
    private readonly List<string> _loadFailures = new();
    private const string InvokeActivityName = "ParallelGen.Invoke";
    private long _runningCallId = -1;
    /// <summary>Frames queued for the executor (written under the queue's lock, read without it).</summary>
    private int _queued;
    private CancellationTokenSource? _runningCancellation;
    private PayloadBuffer _results = new(4096);

    private readonly int _maxMessageBytes;
    private readonly bool _spinForWork;
    private readonly object _shutdown = new();
    private int? _exitCode;

    private WorkerHost(FrameSender sender, int maxMessageBytes, bool spinForWork)
    {
        _answers = new AnswerSender(sender);
        _trimmer = new IdleTrimmer(() => Volatile.Read(ref _runningCallId) == -1 && Volatile.Read(ref _queued) == 0);
        _maxMessageBytes = maxMessageBytes;
        _spinForWork = spinForWork;
    }

    private void ReadLoop(FrameReader reader)
    {
        try
        {
            while (reader.TryRead(out Frame frame))
            {
                if (frame.Kind == FrameKind.Cancel)
                {
                    Cancel(frame.Id);
                    frame.Dispose();
                    continue;
                }

                if (frame.Kind == FrameKind.ChannelAck)
                {
                    ChannelScope.Acknowledge(frame.Id, frame.Payload.Span is [ChannelAcknowledgement.Accepted]);
                    frame.Dispose();
                    continue;
                }

                if (frame.Kind == FrameKind.Withdraw)
                {
                    Withdraw(frame.Id);
                    frame.Dispose();
                    continue;
                }

                Enqueue(frame);
            }
        }
        catch (Exception exception) when (exception is ProtocolException or ObjectDisposedException || SocketErrors.IsSocketError(exception))
        {
            // The parent is gone or sent garbage; either way there is no one left to work for.
        }

        Exit(0);
    }

    /// <summary>
    /// Queues a frame for the executor. A method of its own so that no copy of the frame stays in a slot of the
    /// reader's loop (unoptimized builds keep such copies) and keeps a large payload alive while the worker idles.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Enqueue(Frame frame)
    {
        lock (_queue)
        {
            _queue.Enqueue(frame);
            _queued = _queue.Count;
            Monitor.Pulse(_queue);
        }
    }

    /// <summary>Gives a queued call back to the parent (another worker fell idle); a started call is kept.</summary>
    private void Withdraw(long callId)
    {
        Frame withdrawn = default;
        bool found = false;
        lock (_queue)
        {
            // Rare (a sibling fell idle) and the queue is short: take it apart and put back all but the one withdrawn.
            for (int remaining = _queue.Count; remaining > 0; remaining--)
            {
                Frame frame = _queue.Dequeue();
                if (!found && frame.Kind == FrameKind.Invoke && frame.Id == callId)
                {
                    withdrawn = frame;
                    found = true;
                    continue;
                }

                _queue.Enqueue(frame);
            }

            _queued = _queue.Count;
        }

        if (found)
        {
            withdrawn.Dispose();
            _answers.Send(FrameKind.Withdrawn, callId, ReadOnlySpan<byte>.Empty);
        }
    }

    private void Cancel(long callId)
    {
        lock (_queue)
        {
            if (_runningCallId == callId)
            {
                _runningCancellation?.Cancel();
                return;
            }

            // Remembered only for a call still queued here: one already answered needs nothing, and remembering
            // it would grow this set for as long as the worker lives.
            foreach (Frame queued in _queue)
            {
                if (queued.Id == callId && queued.Kind is FrameKind.Invoke or FrameKind.InvokeTraced)
                {
                    _cancelledBeforeStart.Add(callId);
                    return;
                }
            }
        }
    }

    private void ExecuteLoop()
    {
        while (RunNext())
        {
        }
    }

    /// <summary>
    /// Waits for the next frame and handles it. A method of its own so that no stack slot of the loop keeps the
    /// last frame's payload (possibly hundreds of megabytes) reachable while the worker sleeps.
    /// </summary>
    /// <returns>False after a Shutdown: nothing comes after it.</returns>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool RunNext()
    {
        Frame frame;
        if (Volatile.Read(ref _queued) == 0)
        {
            _answers.FlushDeferred();
            SpinForWork();
        }

        lock (_queue)
        {
            while (_queue.Count == 0)
            {
                Monitor.Wait(_queue);
            }

            frame = _queue.Dequeue();
            _queued = _queue.Count;
        }

        using (frame)
        {
            switch (frame.Kind)
            {
                case FrameKind.Invoke or FrameKind.InvokeTraced:
                    Invoke(frame.Id, frame.Kind, frame.Payload);
                    break;
                case FrameKind.LoadAssembly:
                    LoadAssembly(Encoding.UTF8.GetString(frame.Payload.Span));
                    break;
                case FrameKind.Shutdown:
                    FlushConsole();
                    _answers.FlushDeferred();
                    // The exit code the parent asks for (WorkerProcess mirrors Python's exitcode). Nothing comes
                    // after a Shutdown, so this thread's work is done.
                    lock (_shutdown)
                    {
                        _exitCode = (int)frame.Id;
                        Monitor.PulseAll(_shutdown);
                    }

                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// With shared memory, the next call of a busy caller is usually microseconds away: waiting for it briefly here
    /// saves the reader a wake-up of this thread. Bounded, so an idle worker sleeps.
    /// </summary>
    private void SpinForWork()
    {
        if (!_spinForWork)
        {
            return;
        }

        long deadline = Stopwatch.GetTimestamp() + ByteRing.SpinTicks;
        SpinWait spinner = default;
        while (Volatile.Read(ref _queued) == 0 && Stopwatch.GetTimestamp() <= deadline)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    private void LoadAssembly(string fullName)
    {
        try
        {
            Assembly assembly = Assembly.Load(ToAssemblyName(fullName));
            // Runs the generated module initializer, which registers the assembly's methods.
            RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        }
        catch (Exception exception) when (exception is FileNotFoundException or FileLoadException or BadImageFormatException or TypeInitializationException)
        {
            _loadFailures.Add($"{fullName}: {exception.Message}");
        }
    }

    /// <summary>
    /// The name to load an assembly by. <c>new AssemblyName(fullName)</c> reads its culture into a <c>CultureInfo</c>,
    /// which loads ICU into every worker; a culture-neutral name without escapes is loaded by its simple name instead,
    /// which the app's deps file (shared with the parent) resolves to the same file.
    /// </summary>
    private static AssemblyName ToAssemblyName(string fullName)
    {
        int comma = fullName.IndexOf(',', StringComparison.Ordinal);
        bool plain = fullName.IndexOf('\\', StringComparison.Ordinal) < 0
            && (comma < 0 || fullName.Contains("Culture=neutral", StringComparison.Ordinal) || !fullName.Contains("Culture=", StringComparison.Ordinal));
        return plain ? new AssemblyName { Name = (comma < 0 ? fullName : fullName[..comma]).Trim() } : new AssemblyName(fullName);
    }

    private void Invoke(long callId, FrameKind kind, ReadOnlyMemory<byte> payload)
    {
        CancellationTokenSource cancellation;
        lock (_queue)
        {
            if (_cancelledBeforeStart.Remove(callId))
            {
                SendError(callId, new OperationCanceledException("The call was cancelled before it started."));
                return;
            }

            cancellation = new CancellationTokenSource();
            _runningCallId = callId;
            _runningCancellation = cancellation;
        }

        PayloadBuffer results = _results;
        results.Clear();
        results.Reserve(FrameHeader.Size);
        IDisposable? activity = null;
        try
        {
            InvokePayload invoke = InvokePayload.Parse(kind == FrameKind.InvokeTraced, payload);
            if (invoke.TraceParent is not null)
            {
                activity = StartActivity(invoke.TraceParent);
            }

            RemoteMethod method = FindMethod(invoke.MethodId);
            var call = method.Invoker.InvokeBatchAsync(invoke.Arguments, invoke.Count, results, cancellation.Token);
            if (!call.IsCompleted)
            {
                call.AsTask().GetAwaiter().GetResult();
            }
            else
            {
                call.GetAwaiter().GetResult();
            }

            int resultBytes = results.WrittenCount - FrameHeader.Size;
            if (resultBytes > _maxMessageBytes)
            {
                // Refused here, where the cause is known; the parent would only see a frame it must reject.
                throw new InvalidOperationException(
                    $"The result of {method.Signature} encodes to {resultBytes} bytes, more than the pool's MaxMessageBytes ({_maxMessageBytes}).");
            }

            FlushConsole();
            FrameHeader.Write(results.WrittenSpanMutable, resultBytes, FrameKind.Result, callId);
            _answers.Send(results.WrittenSpan, moreQueued: Volatile.Read(ref _queued) > 0);
        }
        catch (Exception exception)
        {
            FlushConsole();
            SendError(callId, exception);
        }
        finally
        {
            activity?.Dispose(); // Activity.Dispose stops it
            lock (_queue)
            {
                _runningCallId = -1;
                _runningCancellation = null;
            }

            cancellation.Dispose();
            if (ByteBuffers.IsLarge(payload.Length) || ByteBuffers.IsLarge(results.WrittenCount))
            {
                _trimmer.LargePayloadMoved();
            }

            if (results.WrittenCount > RetainedResultBufferBytes)
            {
                results.Dispose();
                _results = new PayloadBuffer(4096);
            }
        }
    }

    /// <summary>
    /// Starts the span a traced call runs under: Activity.Current flows into the method and its awaits, so its own
    /// spans join the caller's trace. Kept out of <see cref="Invoke"/>, so that a worker whose calls carry no trace
    /// never loads System.Diagnostics.DiagnosticSource (its image alone is 0.4 MB of an idle worker's RSS).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IDisposable StartActivity(string traceParent) =>
        new Activity(InvokeActivityName).SetParentId(traceParent).Start();

    private RemoteMethod FindMethod(ulong methodId)
    {
        if (DispatchRegistry.TryGet(methodId, out RemoteMethod method))
        {
            return method;
        }

        string failures = _loadFailures.Count == 0 ? "" : " Assemblies that failed to load: " + string.Join("; ", _loadFailures);
        throw new InvalidOperationException(
            $"This worker has no [ProcessParallel] method with id 0x{methodId:X16}: the parent and the worker run different builds.{failures}");
    }

    private void SendError(long callId, Exception exception)
    {
        byte[] payload = MemoryPackStates.Serialize(RemoteError.From(exception));
        _answers.Send(FrameKind.Error, callId, payload);
    }

    private static void FlushConsole()
    {
        Console.Out.Flush();
        Console.Error.Flush();
    }
}

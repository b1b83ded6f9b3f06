using System;
using System.Collections.Generic;
using System.Threading;
using ParallelGen.Backends;
using ParallelGen.Pool;
using ParallelGen.Protocol;
using ParallelGen.Scheduling;
using ParallelGen.Serialization;

namespace ParallelGen.Runtime.Tests.Scheduling;

/// <summary>
/// A backend whose workers are plain objects the test drives: it records what the scheduler asks of them, and the
/// test decides when a worker is ready, what it answers and when it is lost. No processes, no threads, no clock, no timers.
/// </summary>
internal sealed class FakeBackend : PoolBackend, IWorkerBackend
{
    private IWorkerEvents? _events;

    public int StartRequests { get; private set; }

    public bool Terminated { get; private set; }

    public IWorkerEvents Events => _events!;

    int IWorkerBackend.Processes => 2;

    public long Now { get; set; } = 1_000;

    /// <summary>What the scheduler asked to run later (a worker start after a failed one), in order; run by the test.</summary>
    public List<(TimeSpan Delay, Action Action)> Deferred { get; } = new();

    /// <summary>A scheduler over this backend, with the test's clock and its deferred actions.</summary>
    public Scheduler CreateScheduler(ProcessPoolOptions options) => new(options, this, () => Now, (delay, action) => Deferred.Add((delay, action)));

    /// <summary>Runs the oldest deferred action and returns its delay.</summary>
    public TimeSpan RunDeferred()
    {
        (TimeSpan delay, Action action) = Deferred[0];
        Deferred.RemoveAt(0);
        action();
        return delay;
    }

    /// <summary>Makes a new worker ready.</summary>
    public FakeWorker Ready(int processId)
    {
        var worker = new FakeWorker(processId, this);
        Events.OnReady(worker);
        return worker;
    }

    internal override IWorkerBackend Open(ProcessPoolOptions options, IWorkerEvents events)
    {
        _events = events;
        return this;
    }

    public void StartWorker() => StartRequests++;

    public void Terminate() => Terminated = true;

    public bool Join(TimeSpan timeout) => true;

    public void Dispose()
    {
    }

    /// <summary>A call of <see cref="HandWrittenJobs.Square"/> through the scheduler.</summary>
    public static (PoolTask Task, AsyncResult<int> Result) Square(int x, CancellationToken cancellationToken = default)
    {
        var result = new AsyncResult<int>(new System.Threading.Tasks.TaskCompletionSource<int>(System.Threading.Tasks.TaskCreationOptions.RunContinuationsAsynchronously), null, null);
        var task = new CallTask<int, int>(HandWrittenJobs.Remote.Square, HandWrittenJobs.Remote.Square.Call, x, result.Completion, cancellationToken);
        return (task, result);
    }
}

/// <summary>One fake worker: the calls it was sent in order, and the control requests it got.</summary>
internal sealed class FakeWorker : IWorker
{
    private readonly FakeBackend _backend;

    public FakeWorker(int processId, FakeBackend backend)
    {
        ProcessId = processId;
        _backend = backend;
    }

    public int? ProcessId { get; }

    public List<(long Id, EncodedCall Call)> Sent { get; } = new();

    public List<long> Cancelled { get; } = new();

    public List<long> Withdrawn { get; } = new();

    public int? RetiredWith { get; private set; }

    public bool Stopped { get; private set; }

    public bool Gone { get; set; }

    /// <summary>What <see cref="MeasureResidentBytes"/> reports (for MaxWorkerMemory); null: not measurable.</summary>
    public long? ResidentBytes { get; set; }

    public long? MeasureResidentBytes() => ResidentBytes;

    public bool TrySend(long callId, EncodedCall call)
    {
        if (Gone)
        {
            return false;
        }

        Sent.Add((callId, call));
        return true;
    }

    public void Cancel(long callId) => Cancelled.Add(callId);

    public void Withdraw(long callId) => Withdrawn.Add(callId);

    /// <summary>Runs when the scheduler tells the worker to go (to look at what is done by then).</summary>
    public Action? OnRetire { get; set; }

    public void Retire(int exitCode)
    {
        RetiredWith = exitCode;
        OnRetire?.Invoke();
    }

    public void Stop() => Stopped = true;

    /// <summary>Runs the <paramref name="index"/>th call sent here, as a worker would, and answers it.</summary>
    public bool Answer(int index)
    {
        (long id, EncodedCall call) = Sent[index];
        InvokePayload invoke = InvokePayload.Parse(call.IsTraced, call.Payload.ToArray());
        using var results = new PayloadBuffer(64);
        call.Method.Invoker.InvokeBatchAsync(invoke.Arguments, invoke.Count, results, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return _backend.Events.OnAnswered(this, id, results.WrittenSpan);
    }

    public bool Fail(int index, Exception error) => _backend.Events.OnFailed(this, Sent[index].Id, RemoteError.From(error));

    public bool GiveBack(int index) => _backend.Events.OnWithdrawn(this, Sent[index].Id);

    public void Lose(int? exitCode = null)
    {
        Gone = true;
        _backend.Events.OnLost(this, new WorkerExit(exitCode, null));
    }
}

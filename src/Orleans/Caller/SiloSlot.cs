using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Orleans.Runtime;
using ParallelGen.Backends;
using ParallelGen.Orleans.Grains;
using ParallelGen.Orleans.Silo;
using ParallelGen.Protocol;

namespace ParallelGen.Orleans.Caller;

/// <summary>
/// One worker of one silo, as the caller's scheduler sees it: a silo with N workers appears as N slots. A slot
/// keeps at most one call at the silo; calls the scheduler sends ahead wait here, in the caller, where they can be
/// withdrawn or cancelled without a round trip, so nothing ever queues inside a silo against Orleans' response
/// timeout. A silo-side worker crash, a silo that leaves the cluster, or a failed grain call makes the slot lost.
/// </summary>
internal sealed class SiloSlot : IWorker
{
    private static readonly RemoteError s_cancelledBeforeStart = RemoteError.From(new OperationCanceledException("The call was cancelled before it started."));

    private readonly object _lock = new();
    private readonly LinkedList<(long Id, SiloCall Call)> _waiting = new();
    private readonly IWorkerSiloGrain _grain;
    private readonly Guid _caller;
    private readonly int _maxResultBytes;
    private readonly IWorkerEvents _events;
    private readonly Action<SiloSlot> _gone;
    private long _atSilo = -1;

    /// <summary>A slot is a share of a silo's pool, not a process of its own: nothing to measure (MaxWorkerMemory is refused).</summary>
    public long? MeasureResidentBytes() => null;
    private bool _retiring;
    private int _retireCode;
    private bool _lost;
    private int _processId; // 0 until the silo reports one

    public SiloSlot(SiloAddress silo, IWorkerSiloGrain grain, Guid caller, int maxResultBytes, IWorkerEvents events, Action<SiloSlot> gone)
    {
        _maxResultBytes = maxResultBytes;
        Silo = silo;
        _grain = grain;
        _caller = caller;
        _events = events;
        _gone = gone;
    }

    public SiloAddress Silo { get; }

    /// <summary>The silo's worker process that last reported (a crash or an error), when known.</summary>
    public int? ProcessId => Volatile.Read(ref _processId) is int id and > 0 ? id : null;

    public bool TrySend(long callId, EncodedCall call)
    {
        // Copied now: the pool may release the call's buffer (a cancel, a terminate) while it waits here.
        var request = new SiloCall
        {
            Caller = _caller,
            CallId = callId,
            Assembly = call.Method.Info.DeclaringType.Assembly.FullName!,
            Traced = call.IsTraced,
            Payload = call.Payload.ToArray(),
            MaxResultBytes = _maxResultBytes,
        };
        lock (_lock)
        {
            if (_lost)
            {
                return false;
            }

            _waiting.AddLast((callId, request));
            if (_atSilo >= 0)
            {
                return true;
            }

            request = TakeNextUnlocked()!;
        }

        Dispatch(request);
        return true;
    }

    public void Cancel(long callId)
    {
        bool atSilo;
        lock (_lock)
        {
            atSilo = _atSilo == callId;
            if (!atSilo && !RemoveWaitingUnlocked(callId))
            {
                return;
            }
        }

        if (atSilo)
        {
            Observe(_grain.Cancel(_caller, callId));
        }
        else
        {
            _events.OnFailed(this, callId, s_cancelledBeforeStart);
        }
    }

    public void Withdraw(long callId)
    {
        bool withdrawn;
        lock (_lock)
        {
            withdrawn = RemoveWaitingUnlocked(callId);
        }

        if (withdrawn)
        {
            _events.OnWithdrawn(this, callId);
        }
    }

    public void Retire(int exitCode)
    {
        bool idle;
        lock (_lock)
        {
            _retiring = true;
            _retireCode = exitCode;
            idle = _atSilo < 0 && _waiting.Count == 0;
        }

        if (idle)
        {
            Lose(new WorkerExit(exitCode, null));
        }
    }

    /// <summary>A timed-out call: its token on the silo is signalled, and the slot is lost at once.</summary>
    public void Stop()
    {
        long atSilo;
        lock (_lock)
        {
            atSilo = _atSilo;
        }

        if (atSilo >= 0)
        {
            Observe(_grain.Cancel(_caller, atSilo));
        }

        Lose(new WorkerExit(null, null));
    }

    /// <summary>The silo is gone, or the call to it failed: every call the slot held is unanswered.</summary>
    public void Lose(WorkerExit exit)
    {
        lock (_lock)
        {
            if (_lost)
            {
                return;
            }

            _lost = true;
            _waiting.Clear();
        }

        _events.OnLost(this, exit);
        _gone(this);
    }

    /// <summary>The pool was terminated: drop everything without reporting; a call at the silo is cancelled.</summary>
    public void Abandon()
    {
        long atSilo;
        lock (_lock)
        {
            _lost = true;
            _waiting.Clear();
            atSilo = _atSilo;
        }

        if (atSilo >= 0)
        {
            Observe(_grain.Cancel(_caller, atSilo));
        }
    }

    private void Dispatch(SiloCall request)
    {
        Task<SiloOutcome> call;
        try
        {
            call = _grain.Invoke(request);
        }
        catch (Exception exception)
        {
            call = Task.FromException<SiloOutcome>(exception);
        }

        call.ContinueWith(
            static (finished, state) => ((SiloSlot)state!).Completed(finished),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void Completed(Task<SiloOutcome> finished)
    {
        long callId;
        lock (_lock)
        {
            if (_lost)
            {
                return; // reported already (the silo left, a terminate): this late answer is moot
            }

            callId = _atSilo;
        }

        if (!finished.IsCompletedSuccessfully)
        {
            // The grain call itself failed (the silo went away, the connection broke): the silo is unusable for
            // this slot. The scheduler fails or retries the call and asks for a replacement on a live silo.
            Lose(new WorkerExit(null, finished.Exception?.InnerException ?? new SiloUnavailableException($"The call to silo {Silo} was cancelled.")));
            return;
        }

        SiloOutcome outcome = finished.Result;
        if (outcome.ProcessId is int processId)
        {
            Volatile.Write(ref _processId, processId);
        }

        switch (outcome.Kind)
        {
            case SiloOutcomeKind.Crashed:
                Lose(new WorkerExit(outcome.ExitCode, null));
                return;
            case SiloOutcomeKind.Failed:
                _events.OnFailed(this, callId, RemoteErrors.Decode(outcome.Bytes));
                break;
            default:
                _events.OnAnswered(this, callId, outcome.Bytes);
                break;
        }

        SiloCall? next;
        bool retired;
        lock (_lock)
        {
            if (_lost)
            {
                return;
            }

            _atSilo = -1;
            next = TakeNextUnlocked();
            retired = next is null && _retiring;
        }

        if (next is not null)
        {
            Dispatch(next);
        }
        else if (retired)
        {
            Lose(new WorkerExit(_retireCode, null));
        }
    }

    private SiloCall? TakeNextUnlocked()
    {
        if (_waiting.First is not { } first)
        {
            return null;
        }

        _waiting.RemoveFirst();
        _atSilo = first.Value.Id;
        return first.Value.Call;
    }

    private bool RemoveWaitingUnlocked(long callId)
    {
        for (LinkedListNode<(long Id, SiloCall Call)>? node = _waiting.First; node is not null; node = node.Next)
        {
            if (node.Value.Id == callId)
            {
                _waiting.Remove(node);
                return true;
            }
        }

        return false;
    }

    /// <summary>A cancel is best effort: a silo that cannot be reached has no call left to cancel.</summary>
    private static void Observe(Task task) =>
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}

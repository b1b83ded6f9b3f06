using System;
using System.Threading;
using ParallelGen.Backends;

namespace ParallelGen.Protocol.Tests.Infrastructure;

/// <summary>A scheduler stand-in for driving a backend directly: it only records whether a worker became ready.</summary>
internal sealed class IgnoringEvents : IWorkerEvents
{
    public ManualResetEventSlim Ready { get; } = new();

    public void OnReady(IWorker worker) => Ready.Set();

    public bool OnAnswered(IWorker worker, long callId, ReadOnlySpan<byte> results) => true;

    public bool OnFailed(IWorker worker, long callId, ParallelGen.Protocol.RemoteError error) => true;

    public bool OnWithdrawn(IWorker worker, long callId) => true;

    public void BeginBatch()
    {
    }

    public void EndBatch()
    {
    }

    public void OnLost(IWorker worker, WorkerExit exit)
    {
    }

    public void OnStartFailed(WorkerStartException error, bool mayRetry)
    {
    }
}

using System;
using System.Threading.Tasks;
using Orleans;
using Orleans.Concurrency;
using ParallelGen.Orleans.Silo;

namespace ParallelGen.Orleans.Grains;

/// <summary>
/// The silo end of <see cref="IWorkerSiloGrain"/>: hands calls to the silo's <see cref="SiloWorkers"/>. Reentrant,
/// so the silo runs as many calls at once as callers send it (each caller sends no more than the silo's workers)
/// and a cancel reaches a call while it runs.
/// </summary>
[Reentrant]
[SiloTargetedPlacement]
internal sealed class WorkerSiloGrain : Grain, IWorkerSiloGrain
{
    private readonly SiloWorkers _workers;

    public WorkerSiloGrain(SiloWorkers workers)
    {
        _workers = workers;
    }

    public Task<SiloDescription> Describe() => Task.FromResult(_workers.Describe());

    public Task<SiloOutcome> Invoke(SiloCall call) => _workers.RunAsync(call);

    public Task Cancel(Guid caller, long callId)
    {
        _workers.Cancel(caller, callId);
        return Task.CompletedTask;
    }
}

using System;
using System.Threading.Tasks;
using Orleans;

namespace ParallelGen.Orleans.Grains;

/// <summary>
/// The workers of one silo, as callers reach them: exactly one grain per silo, keyed by the silo's address
/// (<c>SiloAddress.ToParsableString()</c>) and placed on that silo by <see cref="SiloTargetedPlacementDirector"/>.
/// One grain per silo is what lets a caller send each silo exactly as many calls as it has workers; stateless or
/// randomly placed grains do not spread calls evenly over silos.
/// </summary>
[Alias("ParallelGen.IWorkerSiloGrain")]
internal interface IWorkerSiloGrain : IGrainWithStringKey
{
    /// <summary>How many calls the silo runs at once, and the largest message it accepts.</summary>
    [Alias("Describe")]
    Task<SiloDescription> Describe();

    /// <summary>
    /// Runs one call on the silo's local pool. The response timeout is a day, not Orleans' 30 s: a chunk may run
    /// long, and a dead silo is noticed by the caller's membership watch, not by this timeout. (Orleans drops a
    /// message at once when its timeout exceeds about 24 days.)
    /// </summary>
    [Alias("Invoke")]
    [ResponseTimeout("1.00:00:00")]
    Task<SiloOutcome> Invoke(SiloCall call);

    /// <summary>Signals the cancellation token of call <paramref name="callId"/> of <paramref name="caller"/>, if it runs here.</summary>
    [Alias("Cancel")]
    Task Cancel(Guid caller, long callId);
}

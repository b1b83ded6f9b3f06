using System;
using System.Threading.Tasks;
using Orleans;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace ParallelGen.Orleans.Grains;

/// <summary>Places a grain on the silo its key names (<c>SiloAddress.ToParsableString()</c>).</summary>
[Serializable]
[GenerateSerializer]
[Immutable]
[Alias("ParallelGen.SiloTargetedPlacement")]
internal sealed class SiloTargetedPlacement : PlacementStrategy
{
}

/// <summary>Marks a grain class as placed by <see cref="SiloTargetedPlacementDirector"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class SiloTargetedPlacementAttribute : PlacementAttribute
{
    public SiloTargetedPlacementAttribute()
        : base(new SiloTargetedPlacement())
    {
    }
}

/// <summary>
/// Activates a silo-keyed grain on exactly that silo. A key naming a silo that is gone, or one without
/// ParallelGen workers, fails the activation instead of placing the grain elsewhere: calls meant for one silo's
/// workers must never land on another's.
/// </summary>
internal sealed class SiloTargetedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        string key = target.GrainIdentity.Key.ToString()!;
        SiloAddress silo = SiloAddress.FromParsableString(key);
        foreach (SiloAddress compatible in context.GetCompatibleSilos(target))
        {
            if (compatible.Equals(silo))
            {
                return Task.FromResult(silo);
            }
        }

        throw new SiloUnavailableException($"Silo {key} is not an active silo with ParallelGen workers (AddParallelGenWorkers).");
    }
}

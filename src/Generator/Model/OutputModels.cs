using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;

namespace ParallelGen.Generator.Model;

/// <summary>Shapes the per-method models into the files the generator writes.</summary>
internal static class OutputModels
{
    /// <summary>One <see cref="RemoteClassModel"/> per containing type, methods ordered by name, hint names unique.</summary>
    public static ImmutableArray<RemoteClassModel> GroupByType(ImmutableArray<ParallelMethodModel> methods, CancellationToken cancellationToken)
    {
        var groups = methods
            .GroupBy(m => m.ContainingType.FullyQualifiedName, System.StringComparer.Ordinal)
            .OrderBy(g => g.Key, System.StringComparer.Ordinal)
            .ToList();
        Dictionary<string, string> hintNames = HintNames.Assign(groups.Select(g => (g.Key, g.First().ContainingType.HintNameStem)).ToList());

        var result = ImmutableArray.CreateBuilder<RemoteClassModel>(groups.Count);
        foreach (var group in groups)
        {
            cancellationToken.ThrowIfCancellationRequested();
            result.Add(new RemoteClassModel(
                group.First().ContainingType,
                hintNames[group.Key],
                group.OrderBy(m => m.Identifier, System.StringComparer.Ordinal).ToEquatableArray()));
        }

        return result.MoveToImmutable();
    }

    /// <summary>
    /// The dispatch table: every handle ordered by id (ordinal, so file order never changes the output), any id
    /// collisions, and the union of the methods' formatter registrations ordered by type.
    /// </summary>
    public static DispatchModel BuildDispatch(ImmutableArray<ParallelMethodModel> methods, string? assemblyName)
    {
        var entries = methods
            .Select(m => new DispatchEntry(m.Id, m.Signature, $"{m.ContainingType.FullyQualifiedName}.{WellKnownNames.RemoteClassName}.{m.Identifier}"))
            .OrderBy(e => e.Id)
            .ThenBy(e => e.Signature, System.StringComparer.Ordinal)
            .ToList();

        var collisions = new List<IdCollision>();
        for (int i = 1; i < entries.Count; i++)
        {
            if (entries[i].Id == entries[i - 1].Id)
            {
                collisions.Add(new IdCollision(entries[i].Id, entries[i - 1].Signature, entries[i].Signature));
            }
        }

        var formatters = methods
            .SelectMany(m => m.Formatters)
            .GroupBy(f => f.Type, System.StringComparer.Ordinal)
            .Select(g => g.First())
            .OrderBy(f => f.Type, System.StringComparer.Ordinal)
            .ToEquatableArray();

        return new DispatchModel(
            "WorkerDispatch_" + Identifiers.Sanitize(assemblyName ?? string.Empty),
            entries.ToEquatableArray(),
            collisions.ToEquatableArray(),
            formatters);
    }
}

using System.Collections.Generic;
using System.Linq;
using ParallelGen.Generator.Parsing;

namespace ParallelGen.Generator.Model;

/// <summary>File names for the per-type sources: readable, and unique within the assembly.</summary>
internal static class HintNames
{
    /// <summary>
    /// Assigns <c>{stem}.ProcessParallel.g.cs</c> to each key. Characters a file name should not carry become
    /// <c>_</c> (<see cref="Identifiers.Sanitize"/>, keeping dots); when two stems still meet (<c>Foo&lt;T&gt;</c> and
    /// <c>Foo_T_</c>, or stems that differ only in case), each gets a stable hash of its key.
    /// </summary>
    /// <param name="stems">The grouping key (fully qualified type name) and the readable stem of each type.</param>
    public static Dictionary<string, string> Assign(IReadOnlyList<(string Key, string Stem)> stems)
    {
        var sanitized = stems.Select(s => (s.Key, Stem: Identifiers.Sanitize(s.Stem, keepDots: true))).ToList();
        var counts = sanitized.GroupBy(s => s.Stem, System.StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), System.StringComparer.OrdinalIgnoreCase);
        var result = new Dictionary<string, string>();
        foreach ((string key, string stem) in sanitized)
        {
            string unique = counts[stem] > 1 ? $"{stem}_{StableHash.Fnv1a64(key):X16}" : stem;
            result[key] = unique + WellKnownNames.HintNameSuffix;
        }

        return result;
    }
}

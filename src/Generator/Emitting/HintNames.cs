using System.Collections.Generic;
using System.Linq;
using System.Text;
using ParallelGen.Generator.Parsing;

namespace ParallelGen.Generator.Emitting;

/// <summary>File names for the per-type sources: readable, and unique within the assembly.</summary>
internal static class HintNames
{
    /// <summary>
    /// Assigns <c>{stem}.ProcessParallel.g.cs</c> to each key. Characters a file name should not carry become
    /// <c>_</c>; when two stems still meet (<c>Foo&lt;T&gt;</c> and <c>Foo_T_</c>), each gets a stable hash of its key.
    /// </summary>
    /// <param name="stems">The grouping key (fully qualified type name) and the readable stem of each type.</param>
    public static Dictionary<string, string> Assign(IReadOnlyList<(string Key, string Stem)> stems)
    {
        var sanitized = stems.Select(s => (s.Key, Stem: Sanitize(s.Stem))).ToList();
        var counts = sanitized.GroupBy(s => s.Stem, System.StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), System.StringComparer.OrdinalIgnoreCase);
        var result = new Dictionary<string, string>();
        foreach ((string key, string stem) in sanitized)
        {
            string unique = counts[stem] > 1 ? $"{stem}_{StableHash.Fnv1a64(key):X16}" : stem;
            result[key] = unique + WellKnownNames.HintNameSuffix;
        }

        return result;
    }

    /// <summary>Keeps letters, digits, <c>.</c> and <c>_</c>; anything else (<c>&lt;</c>, <c>&gt;</c>, <c>,</c>, space, <c>@</c>…) becomes <c>_</c>.</summary>
    public static string Sanitize(string stem)
    {
        var builder = new StringBuilder(stem.Length);
        foreach (char c in stem)
        {
            builder.Append(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' ? c : '_');
        }

        return builder.ToString();
    }
}

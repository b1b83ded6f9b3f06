using System.Text;

namespace ParallelGen.Generator.Parsing;

/// <summary>
/// 64-bit FNV-1a. Hand-written because method ids must be identical in every process and every build of the
/// same signature: <c>string.GetHashCode()</c> is randomised per process, and netstandard2.0 has no XxHash.
/// </summary>
internal static class StableHash
{
    private const ulong OffsetBasis = 0xCBF29CE484222325UL;
    private const ulong Prime = 0x100000001B3UL;

    public static ulong Fnv1a64(string text)
    {
        ulong hash = OffsetBasis;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash = unchecked(hash * Prime);
        }

        return hash;
    }

    /// <summary>The id of a method: the hash of <c>"{assemblyName}:{signature}"</c>.</summary>
    public static ulong MethodId(string assemblyName, string signature) => Fnv1a64(assemblyName + ":" + signature);
}

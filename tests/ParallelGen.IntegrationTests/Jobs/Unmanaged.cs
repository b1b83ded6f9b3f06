using System;
using System.Globalization;
using System.Threading.Tasks;

namespace ParallelGen.IntegrationTests.Jobs;

/// <summary>
/// An unmanaged record struct with padding between and after its fields (4 + 4 padding + 8 + 1 + 7 padding bytes),
/// so a copy that got the size or the layout wrong would shift every value after the first.
/// </summary>
public readonly record struct Reading(int Sensor, long Ticks, byte Flags);

/// <summary>
/// Methods whose arguments or results are unmanaged, which travel as one block of raw memory per chunk; the
/// mixed ones (unmanaged on one side only) use the block on that side and MemoryPack on the other.
/// </summary>
public static partial class UnmanagedJobs
{
    /// <summary>int in, int out; every bit of the input matters (int.MinValue, -1).</summary>
    [ProcessParallel]
    public static int Mangle(int x) => unchecked((x * 31) ^ (x >>> 7));

    /// <summary>double in, double out; NaN, infinities and -0.0 must come back bit for bit.</summary>
    [ProcessParallel]
    public static double Halve(double x) => x / 2;

    /// <summary>Three parameters whose tuple <c>(int, double, byte)</c> has padding.</summary>
    [ProcessParallel]
    public static double Mix(int count, double weight, byte shift) => (count * weight) + (shift << 8);

    /// <summary>An unmanaged record struct in and out.</summary>
    [ProcessParallel]
    public static Reading Advance(Reading reading) =>
        new(reading.Sensor + 1, reading.Ticks * 3, (byte)(reading.Flags ^ 0x5A));

    /// <summary>Unmanaged argument, managed result.</summary>
    [ProcessParallel]
    public static string Label(int x) => "n" + x.ToString(CultureInfo.InvariantCulture);

    /// <summary>Managed argument, unmanaged result.</summary>
    [ProcessParallel]
    public static long Measure(string text) => ((long)text.Length << 32) | (text.Length == 0 ? 0u : text[^1]);

    /// <summary>
    /// Completes synchronously for most items and after an await for every third, so a chunk's results are written
    /// partly as a block and partly one by one after each await.
    /// </summary>
    [ProcessParallel]
    public static async ValueTask<long> SometimesLater(int x)
    {
        if (x % 3 == 0)
        {
            await Task.Yield();
        }

        return (long)x * x;
    }

    /// <summary>Fails for negative items, synchronously.</summary>
    [ProcessParallel]
    public static int RejectNegative(int x) => x < 0 ? throw new ArgumentOutOfRangeException(nameof(x), x, "negative item") : x;

    /// <summary>Fails for negative items after an await, later items of the chunk completing synchronously.</summary>
    [ProcessParallel]
    public static async ValueTask<int> RejectNegativeLater(int x)
    {
        if (x < 0)
        {
            await Task.Yield();
            throw new FormatException("negative item " + x.ToString(CultureInfo.InvariantCulture));
        }

        return x;
    }
}

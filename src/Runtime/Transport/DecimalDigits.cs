using System;

namespace ParallelGen.Transport;

/// <summary>
/// Reads the non-negative decimal numbers of a worker's command line. <c>int.Parse</c> would do, but even with an
/// invariant format it initializes culture data, which loads ICU into every worker (a few MB of memory that no call
/// may need).
/// </summary>
internal static class DecimalDigits
{
    /// <summary>Parses one or more ASCII digits, nothing else, as an <see cref="int"/>; false if it overflows or is empty.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        long total = 0;
        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            total = (total * 10) + (c - '0');
            if (total > int.MaxValue)
            {
                return false;
            }
        }

        value = (int)total;
        return true;
    }

    /// <summary>As <see cref="TryParse"/>, throwing <see cref="FormatException"/> when <paramref name="text"/> is not such a number.</summary>
    public static int Parse(string text, string name) =>
        TryParse(text, out int value) ? value : throw new FormatException($"{name} must be a non-negative decimal number, not '{text}'.");
}

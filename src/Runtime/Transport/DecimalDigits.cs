using System;

namespace ParallelGen.Transport;

/// <summary>
/// Reads the decimal numbers of a worker's command line. <c>int.Parse</c> would do, but even with an
/// invariant format it initializes culture data, which loads ICU into every worker (a few MB of memory that no call
/// may need).
/// </summary>
internal static class DecimalDigits
{
    /// <summary>
    /// Parses one or more ASCII digits, after an optional '-', nothing else, as an <see cref="int"/>; false if it
    /// overflows or has no digit.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        bool negative = !text.IsEmpty && text[0] == '-';
        ReadOnlySpan<char> digits = negative ? text[1..] : text;
        if (digits.IsEmpty)
        {
            return false;
        }

        long total = 0;
        foreach (char c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            total = (total * 10) + (c - '0');
            if (total > (long)int.MaxValue + 1)
            {
                return false;
            }
        }

        total = negative ? -total : total;
        if (total > int.MaxValue)
        {
            return false;
        }

        value = (int)total;
        return true;
    }

    /// <summary>As <see cref="TryParse"/>, throwing <see cref="FormatException"/> when <paramref name="text"/> is not such a number.</summary>
    public static int Parse(string text, string name) =>
        TryParse(text, out int value) ? value : throw new FormatException($"{name} must be a decimal number, not '{text}'.");

    /// <summary>
    /// <paramref name="value"/> in ASCII digits, after a '-' if negative. Not an interpolated string: that rents its
    /// buffer from a shared pool of its own, whose code and per-thread state a worker otherwise never needs.
    /// </summary>
    public static string Format(int value)
    {
        Span<char> digits = stackalloc char[11]; // "-2147483648"
        int start = digits.Length;
        long rest = Math.Abs((long)value);
        do
        {
            digits[--start] = (char)('0' + (rest % 10));
            rest /= 10;
        }
        while (rest != 0);

        if (value < 0)
        {
            digits[--start] = '-';
        }

        return new string(digits[start..]);
    }
}

using System;
using NUnit.Framework;
using ParallelGen.Transport;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

/// <summary>The worker's command-line numbers: ASCII digits, after an optional minus, into an int, and nothing else.</summary>
public class DecimalDigitsTests
{
    [TestCase("0", 0)]
    [TestCase("7", 7)]
    [TestCase("1073741824", 1073741824)]
    [TestCase("2147483647", int.MaxValue)]
    [TestCase("007", 7)]
    [TestCase("-1", -1)]
    [TestCase("-2147483648", int.MinValue)]
    public void Parses_Digits(string text, int expected)
    {
        DecimalDigits.TryParse(text, out int value).ShouldBeTrue();
        value.ShouldBe(expected);
    }

    [TestCase("")]
    [TestCase("-")]
    [TestCase("--1")]
    [TestCase("-2147483649")]
    [TestCase("+1")]
    [TestCase(" 1")]
    [TestCase("1 ")]
    [TestCase("1e3")]
    [TestCase("2147483648")]
    [TestCase("99999999999999999999")]
    [TestCase("١٢")] // Arabic-Indic digits: not ASCII
    public void Refuses_AnythingElse(string text)
    {
        DecimalDigits.TryParse(text, out int value).ShouldBeFalse();
        value.ShouldBe(0);
        Should.Throw<FormatException>(() => DecimalDigits.Parse(text, "--index")).Message.ShouldContain("--index must be a decimal number");
    }

    [TestCase(0)]
    [TestCase(7)]
    [TestCase(10)]
    [TestCase(-1)]
    [TestCase(1073741824)]
    [TestCase(int.MaxValue)]
    [TestCase(int.MinValue)]
    public void Formats_AsInvariantToStringDoes_AndReadsBack(int value)
    {
        string text = DecimalDigits.Format(value);
        text.ShouldBe(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        DecimalDigits.TryParse(text, out int back).ShouldBeTrue();
        back.ShouldBe(value);
    }
}

using System;
using NUnit.Framework;
using ParallelGen.Transport;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

/// <summary>The worker's token: pairs of ASCII hex digits, either case, into bytes, and nothing else.</summary>
public class HexDigitsTests
{
    [TestCase("")]
    [TestCase("00")]
    [TestCase("0123456789ABCDEF")]
    [TestCase("0123456789abcdef")]
    [TestCase("fF0a")]
    public void Decodes_AsConvertDoes(string text)
    {
        HexDigits.TryParse(text, out byte[] bytes).ShouldBeTrue();
        bytes.ShouldBe(Convert.FromHexString(text));
    }

    [Test]
    public void Decodes_EveryByte()
    {
        byte[] all = new byte[256];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = (byte)i;
        }

        HexDigits.Parse(Convert.ToHexString(all), "token").ShouldBe(all);
        HexDigits.Parse(Convert.ToHexString(all).ToLowerInvariant(), "token").ShouldBe(all);
    }

    [TestCase("0")]
    [TestCase("abc")]
    [TestCase("0g")]
    [TestCase("g0")]
    [TestCase("0x12")]
    [TestCase(" 12")]
    [TestCase("12 ")]
    [TestCase("1-")]
    [TestCase("٠١")] // Arabic-Indic digits: not ASCII
    public void Refuses_AnythingElse(string text)
    {
        HexDigits.TryParse(text, out byte[] bytes).ShouldBeFalse();
        bytes.ShouldBeEmpty();
        Should.Throw<FormatException>(() => HexDigits.Parse(text, "PARALLELGEN_TOKEN")).Message.ShouldContain("PARALLELGEN_TOKEN must be pairs of hexadecimal digits");
    }
}

using NUnit.Framework;
using ParallelGen.Generator.Emitting;

namespace ParallelGen.Generator.Tests;

/// <summary>The emitters' text writer: multi-line text is re-indented line by line, so emitters can write raw strings.</summary>
[TestFixture]
public sealed class SourceWriterTests
{
    [Test]
    public void MultiLineText_EachLineGetsTheIndentation_EmptyLinesStayEmpty_CrLfBecomesLf()
    {
        var writer = new SourceWriter();
        writer.OpenBlock("class C");
        writer.WriteLine("int A;\r\n\r\n    int B;\nint C;");
        writer.CloseBlock();

        Assert.That(writer.ToSourceText().ToString(), Is.EqualTo("class C\n{\n    int A;\n\n        int B;\n    int C;\n}\n"));
    }

    [Test]
    public void UnbalancedIndentation_Throws()
    {
        var writer = new SourceWriter();
        writer.OpenBlock("class C");
        Assert.Throws<System.InvalidOperationException>(() => writer.ToSourceText());
    }
}

using System;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace ParallelGen.Generator.Emitting;

/// <summary>An indented text writer: text, not syntax trees (the cookbook: NormalizeWhitespace is expensive).</summary>
internal sealed class SourceWriter
{
    private const int IndentSize = 4;
    private readonly StringBuilder _builder = new();
    private int _indentation;

    public void WriteLine(string text = "")
    {
        if (text.Length > 0)
        {
            _builder.Append(' ', _indentation * IndentSize).Append(text);
        }

        _builder.Append('\n');
    }

    public void OpenBlock(string header)
    {
        WriteLine(header);
        WriteLine("{");
        _indentation++;
    }

    public void CloseBlock(string suffix = "")
    {
        _indentation--;
        WriteLine("}" + suffix);
    }

    public void Indent() => _indentation++;

    public void Unindent() => _indentation--;

    public SourceText ToSourceText()
    {
        if (_indentation != 0)
        {
            throw new InvalidOperationException($"Unbalanced indentation ({_indentation}) in generated source.");
        }

        return SourceText.From(_builder.ToString(), Encoding.UTF8);
    }
}

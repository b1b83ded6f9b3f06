using System;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace ParallelGen.Generator.Emitting;

/// <summary>
/// An indented text writer: text, not syntax trees (the cookbook: NormalizeWhitespace is expensive). Multi-line text
/// (a raw string literal in an emitter) is re-indented line by line, so emitters can write whole blocks as they read.
/// </summary>
internal sealed class SourceWriter
{
    private const int IndentSize = 4;
    private readonly StringBuilder _builder = new();
    private int _indentation;

    /// <summary>
    /// Writes <paramref name="text"/> and a line break. Each of its lines gets the current indentation in front of its
    /// own; empty lines stay empty (no trailing spaces). <c>\r\n</c> in the text becomes <c>\n</c>.
    /// </summary>
    public void WriteLine(string text = "")
    {
        int start = 0;
        while (true)
        {
            int end = text.IndexOf('\n', start);
            int length = (end < 0 ? text.Length : end) - start;
            if (length > 0 && text[start + length - 1] == '\r')
            {
                length--;
            }

            if (length > 0)
            {
                _builder.Append(' ', _indentation * IndentSize).Append(text, start, length);
            }

            _builder.Append('\n');
            if (end < 0)
            {
                return;
            }

            start = end + 1;
        }
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

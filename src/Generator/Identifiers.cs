using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace ParallelGen.Generator;

/// <summary>How names from user code become names in generated code and file names.</summary>
internal static class Identifiers
{
    /// <summary>A declared name as generated code must spell it: C# keywords get <c>@</c> (<c>class</c> → <c>@class</c>).</summary>
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>
    /// Keeps ASCII letters, digits and <c>_</c> (and <c>.</c> when <paramref name="keepDots"/>); anything else
    /// (<c>&lt;</c>, <c>&gt;</c>, <c>,</c>, <c>-</c>, space, <c>@</c>, non-ASCII letters) becomes <c>_</c>. Used for the
    /// dispatch class's name suffix (<c>My.App-1</c> → <c>My_App_1</c>) and, keeping dots, for hint names, which become
    /// file names on any file system.
    /// </summary>
    public static string Sanitize(string text, bool keepDots = false)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            bool keep = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' || (keepDots && c == '.');
            builder.Append(keep ? c : '_');
        }

        return builder.ToString();
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ParallelGen.Benchmarks;

/// <summary>Renders rows as an aligned Markdown table, readable in a terminal and pasteable into docs.</summary>
public static class MarkdownTable
{
    public static string Render(string[] header, IReadOnlyList<string[]> rows)
    {
        int[] widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(row => row[i].Length))).ToArray();
        var sb = new StringBuilder();
        sb.AppendLine(Line(header, widths));
        sb.AppendLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (string[] row in rows)
        {
            sb.AppendLine(Line(row, widths));
        }

        return sb.ToString();
    }

    private static string Line(string[] cells, int[] widths) =>
        "| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |";
}

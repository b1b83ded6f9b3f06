using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace ParallelGen.Benchmarks;

/// <summary>
/// Draws the echo sweep as a plain SVG (no plotting package, so a fresh clone needs nothing more): time per
/// call and MB/s against payload size, log-log, Python beside ParallelGen.
/// </summary>
public static class SvgPlot
{
    private const int PanelWidth = 460;
    private const int PanelHeight = 320;
    private const int Margin = 85;
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    private sealed record Series(string Name, string Color, (double X, double Y)[] Points);

    public static string Echo(GrowthResults ours, GrowthResults? py, string caption)
    {
        List<Series> time = [];
        List<Series> rate = [];
        if (py is { Echo.Count: > 0 })
        {
            time.Add(new("Python Pool", "#3572A5", py.Echo.Select(p => ((double)p.Bytes, p.MedianMs)).ToArray()));
            rate.Add(new("Python Pool", "#3572A5", py.Echo.Select(p => ((double)p.Bytes, p.MbPerS)).ToArray()));
        }

        time.Add(new("ParallelGen", "#D9730D", ours.Echo.Select(p => ((double)p.Bytes, p.MedianMs)).ToArray()));
        rate.Add(new("ParallelGen", "#D9730D", ours.Echo.Select(p => ((double)p.Bytes, p.MbPerS)).ToArray()));

        int width = (2 * PanelWidth) + (3 * Margin);
        int height = PanelHeight + (2 * Margin) + 30;
        var svg = new StringBuilder();
        svg.Append(s_inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(s_inv, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append(s_inv, $"<text x=\"{width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{WebUtility.HtmlEncode(caption)}</text>\n");
        Panel(svg, Margin, Margin, "time per echo (median)", time, AxisTime);
        Panel(svg, (2 * Margin) + PanelWidth, Margin, "payload MB / round-trip second", rate, v => string.Create(s_inv, $"{v:0.###} MB/s"));
        int legendY = height - 22;
        for (int i = 0; i < time.Count; i++)
        {
            int x = Margin + (i * 180);
            svg.Append(s_inv, $"<line x1=\"{x}\" y1=\"{legendY}\" x2=\"{x + 30}\" y2=\"{legendY}\" stroke=\"{time[i].Color}\" stroke-width=\"2.5\"/>");
            svg.Append(s_inv, $"<text x=\"{x + 38}\" y=\"{legendY + 4}\">{WebUtility.HtmlEncode(time[i].Name)}</text>\n");
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, int left, int top, string title, List<Series> series, Func<double, string> yLabel)
    {
        (double xLo, double xHi) = Decades(series.SelectMany(s => s.Points).Select(p => p.X));
        (double yLo, double yHi) = Decades(series.SelectMany(s => s.Points).Select(p => p.Y));
        double Px(double x) => left + (PanelWidth * (Math.Log10(x) - xLo) / (xHi - xLo));
        double Py(double y) => top + PanelHeight - (PanelHeight * (Math.Log10(y) - yLo) / (yHi - yLo));

        svg.Append(s_inv, $"<text x=\"{left + (PanelWidth / 2)}\" y=\"{top - 12}\" text-anchor=\"middle\" font-size=\"13\">{title}</text>\n");
        svg.Append(s_inv, $"<rect x=\"{left}\" y=\"{top}\" width=\"{PanelWidth}\" height=\"{PanelHeight}\" fill=\"none\" stroke=\"#888\"/>\n");
        for (double k = xLo; k <= xHi; k++)
        {
            double x = Px(Math.Pow(10, k));
            svg.Append(s_inv, $"<line x1=\"{x:0.#}\" y1=\"{top}\" x2=\"{x:0.#}\" y2=\"{top + PanelHeight}\" stroke=\"#eee\"/>");
            svg.Append(s_inv, $"<text x=\"{x:0.#}\" y=\"{top + PanelHeight + 18}\" text-anchor=\"middle\">{GrowthReport.Size((long)Math.Pow(10, k))}</text>\n");
        }

        for (double k = yLo; k <= yHi; k++)
        {
            double y = Py(Math.Pow(10, k));
            svg.Append(s_inv, $"<line x1=\"{left}\" y1=\"{y:0.#}\" x2=\"{left + PanelWidth}\" y2=\"{y:0.#}\" stroke=\"#eee\"/>");
            svg.Append(s_inv, $"<text x=\"{left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{WebUtility.HtmlEncode(yLabel(Math.Pow(10, k)))}</text>\n");
        }

        svg.Append(s_inv, $"<text x=\"{left + (PanelWidth / 2)}\" y=\"{top + PanelHeight + 40}\" text-anchor=\"middle\">payload size (log scale)</text>\n");
        foreach (Series s in series)
        {
            string points = string.Join(' ', s.Points.Select(p => string.Create(s_inv, $"{Px(p.X):0.#},{Py(p.Y):0.#}")));
            svg.Append(s_inv, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"2.5\"/>\n");
            foreach ((double x, double y) in s.Points)
            {
                svg.Append(s_inv, $"<circle cx=\"{Px(x):0.#}\" cy=\"{Py(y):0.#}\" r=\"3.5\" fill=\"{s.Color}\"/>");
            }

            svg.Append('\n');
        }
    }

    /// <summary>Axis labels fall on whole decades: 10 µs, 1 ms, 10 s.</summary>
    private static string AxisTime(double ms) => ms switch
    {
        < 1 => string.Create(s_inv, $"{ms * 1000:0.###} µs"),
        < 1000 => string.Create(s_inv, $"{ms:0.###} ms"),
        _ => string.Create(s_inv, $"{ms / 1000:0.###} s"),
    };

    /// <summary>The whole decades (log10) that hold every value, at least one decade wide.</summary>
    private static (double Low, double High) Decades(IEnumerable<double> values)
    {
        double[] logs = values.Where(v => v > 0).Select(Math.Log10).ToArray();
        double low = Math.Floor(logs.Min());
        double high = Math.Ceiling(logs.Max());
        return (low, Math.Max(high, low + 1));
    }
}

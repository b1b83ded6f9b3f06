using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using NUnit.Framework;

namespace ParallelGen.Generator.Tests.Infrastructure;

/// <summary>
/// Runs the generator and the analyzers over a rule-breaking input in <c>namespace App</c> (with the usual usings), and
/// checks what every rule test needs: the generator reports nothing itself, and no error comes from generated code
/// (rejected methods get no code), MemoryPack's generator included.
/// </summary>
internal static class RuleAnalysis
{
    /// <param name="body">The declarations to compile.</param>
    /// <param name="memoryPackDiagnostics">The MEMPACKxxx ids MemoryPack's generator is expected to report (none by default).</param>
    public static AnalysisResult Analyze(string body, params string[] memoryPackDiagnostics)
    {
        string source = $$"""
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using ParallelGen;

            namespace App;

            {{body}}
            """;
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source));
        Assert.That(run.Result.Diagnostics, Is.Empty, "the generator itself reports nothing for rule violations");

        // Rejected methods get no code, so no error may come from a generated file.
        Compilation withMemoryPack = GeneratorHarness.WithMemoryPackOutput(run.Output, out ImmutableArray<Diagnostic> reported);
        Assert.That(reported.Select(d => d.Id), Is.EquivalentTo(memoryPackDiagnostics), "MemoryPack generator diagnostics");
        var generatedErrors = withMemoryPack.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true);
        Assert.That(generatedErrors.Select(d => d.ToString()), Is.Empty);

        var diagnostics = GeneratorHarness.GetAnalyzerDiagnostics(run.Output)
            .Where(d => d.Id.StartsWith("PG", System.StringComparison.Ordinal))
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToList();
        return new AnalysisResult(run, diagnostics);
    }
}

/// <summary>The analyzers' diagnostics on one input, and the generator's output for it.</summary>
internal sealed record AnalysisResult(GeneratorRun Run, List<Diagnostic> Diagnostics)
{
    public void AssertSingle(string id, string text, string message) => AssertDiagnostics((id, text, message));

    /// <summary>Exactly these diagnostics (id, source text under the location, message), in source order, all errors.</summary>
    public void AssertDiagnostics(params (string Id, string Text, string Message)[] expected)
    {
        var actual = Diagnostics.Select(d => (d.Id, Text: d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan), Message: d.GetMessage(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(Diagnostics.Select(d => d.Severity), Is.All.EqualTo(DiagnosticSeverity.Error));
    }

    /// <summary>The type's generated file declares exactly these handles.</summary>
    public void AssertHandles(string type, params string[] handles)
    {
        string text = Run.Single.GeneratedSources.Single(s => s.HintName == type + ".ProcessParallel.g.cs").SourceText.ToString();
        var declared = System.Text.RegularExpressions.Regex.Matches(text, @"static readonly \S+(?:<[^=]*>)? (\w+) =").Select(m => m.Groups[1].Value);
        Assert.That(declared, Is.EquivalentTo(handles));
    }

    public void AssertNoFileFor(string type) =>
        Assert.That(Run.Single.GeneratedSources.Select(s => s.HintName), Has.None.EqualTo(type + ".ProcessParallel.g.cs"));
}

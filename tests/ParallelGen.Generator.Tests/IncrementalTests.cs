using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NUnit.Framework;
using ParallelGen.Generator.Tests.Infrastructure;

namespace ParallelGen.Generator.Tests;

/// <summary>The cache works: equal inputs give cached steps, and step outputs hold no Roslyn objects.</summary>
[TestFixture]
public sealed class IncrementalTests
{
    private static readonly string[] s_allSteps =
        [TrackingNames.Methods, TrackingNames.ValidMethods, TrackingNames.RemoteClasses, TrackingNames.Dispatch];

    private const string Jobs = """
        using ParallelGen;

        namespace App;

        public static partial class Jobs
        {
            [ProcessParallel] public static int Square(int x) => x * x;
            [ProcessParallel] public static double Dot(double[] a, double[] b) => a[0] * b[0];
        }
        """;

    private const string Other = """
        using ParallelGen;

        namespace App;

        public static partial class Other
        {
            [ProcessParallel] public static void Touch(string path) { }
        }
        """;

    [Test]
    public void EveryStep_HasATrackingName_AndHoldsNoRoslynObjects()
    {
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Jobs, Other));
        var steps = run.Single.TrackedSteps;
        foreach (string name in s_allSteps)
        {
            Assert.That(steps.ContainsKey(name), Is.True, $"step {name} is not tracked");
            foreach (var step in steps[name])
            {
                foreach ((object value, _) in step.Outputs)
                {
                    ModelGraph.AssertHoldsNoRoslynObjects(value, name);
                }
            }
        }
    }

    [Test]
    public void SameCompilationAgain_EveryStepIsCachedOrUnchanged()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Jobs, Other);
        GeneratorRun first = GeneratorHarness.Run(compilation);
        GeneratorRun second = GeneratorHarness.Run(compilation.Clone(), first.Driver);
        AssertReasons(second, s_allSteps, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertSameSources(first, second);
    }

    [Test]
    public void UnrelatedFileAdded_OutputsAreCached()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Jobs, Other);
        GeneratorRun first = GeneratorHarness.Run(compilation);
        GeneratorRun second = GeneratorHarness.Run(
            compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace App; internal static class Unrelated { }", GeneratorHarness.ParseOptions, path: "Unrelated.cs")),
            first.Driver);

        AssertReasons(second, [TrackingNames.ValidMethods, TrackingNames.RemoteClasses, TrackingNames.Dispatch], IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertReasons(second, [TrackingNames.RemoteClasses], IncrementalStepRunReason.Cached);
        AssertSameSources(first, second);
    }

    [Test]
    public void MethodBodyEdited_ModelsUnchanged_SameSources()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Jobs, Other);
        GeneratorRun first = GeneratorHarness.Run(compilation);
        GeneratorRun second = GeneratorHarness.Run(ReplaceSource(compilation, 0, Jobs.Replace("x * x", "x * x + 0")), first.Driver);

        AssertReasons(second, [TrackingNames.ValidMethods, TrackingNames.RemoteClasses, TrackingNames.Dispatch], IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertSameSources(first, second);
    }

    [Test]
    public void SignatureEdited_ModelAndFileModified()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Jobs, Other);
        GeneratorRun first = GeneratorHarness.Run(compilation);
        GeneratorRun second = GeneratorHarness.Run(ReplaceSource(compilation, 0, Jobs.Replace("int Square(int x)", "long Square(int x)")), first.Driver);

        var steps = second.Single.TrackedSteps;
        Assert.That(Reasons(steps[TrackingNames.ValidMethods]), Does.Contain(IncrementalStepRunReason.Modified));
        Assert.That(Reasons(steps[TrackingNames.RemoteClasses]), Does.Contain(IncrementalStepRunReason.Modified));
        Assert.That(Reasons(steps[TrackingNames.Dispatch]), Does.Contain(IncrementalStepRunReason.Modified));

        // The other type's file is untouched by the edit.
        var otherSteps = steps[TrackingNames.RemoteClasses].SelectMany(s => s.Outputs)
            .Where(o => o.Value.ToString()!.Contains("global::App.Other", System.StringComparison.Ordinal));
        Assert.That(otherSteps.Select(o => o.Reason), Is.All.EqualTo(IncrementalStepRunReason.Unchanged).Or.EqualTo(IncrementalStepRunReason.Cached));
    }

    [Test]
    public void TreesReordered_DispatchFileIsIdentical()
    {
        GeneratorRun forward = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Jobs, Other));
        GeneratorRun backward = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Other, Jobs));
        AssertSameSources(forward, backward);
    }

    private static CSharpCompilation ReplaceSource(CSharpCompilation compilation, int index, string text)
    {
        SyntaxTree old = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, path: old.FilePath));
    }

    private static IEnumerable<IncrementalStepRunReason> Reasons(IEnumerable<IncrementalGeneratorRunStep> steps) =>
        steps.SelectMany(s => s.Outputs).Select(o => o.Reason);

    private static void AssertReasons(GeneratorRun run, string[] stepNames, params IncrementalStepRunReason[] allowed)
    {
        foreach (string name in stepNames)
        {
            var reasons = Reasons(run.Single.TrackedSteps[name]).ToList();
            Assert.That(reasons, Is.Not.Empty, name);
            Assert.That(reasons, Is.All.AnyOf(allowed.Cast<object>().ToArray()), $"step {name}");
        }
    }

    private static void AssertSameSources(GeneratorRun first, GeneratorRun second)
    {
        var a = first.Single.GeneratedSources.OrderBy(s => s.HintName, System.StringComparer.Ordinal).Select(s => (s.HintName, Text: s.SourceText.ToString()));
        var b = second.Single.GeneratedSources.OrderBy(s => s.HintName, System.StringComparer.Ordinal).Select(s => (s.HintName, Text: s.SourceText.ToString()));
        Assert.That(b, Is.EqualTo(a));
    }
}

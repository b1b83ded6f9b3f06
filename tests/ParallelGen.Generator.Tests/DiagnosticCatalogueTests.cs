using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NUnit.Framework;
using ParallelGen.Generator.Diagnostics;

namespace ParallelGen.Generator.Tests;

/// <summary>The "new diagnostic" checklist, enforced: unique ids, a docs page, a release-tracking entry.</summary>
[TestFixture]
public sealed class DiagnosticCatalogueTests
{
    private static readonly DiagnosticDescriptor[] s_descriptors = typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToArray();

    [Test]
    public void Ids_AreUniqueAndFollowThePattern()
    {
        Assert.That(s_descriptors.Select(d => d.Id), Is.Unique);
        Assert.That(s_descriptors.Select(d => d.Id), Has.All.Match("^PG[0-9]{4}$"));
        Assert.That(s_descriptors.Select(d => d.Category), Has.All.EqualTo("ParallelGen"));
    }

    [Test]
    public void EveryId_HasADocsPageAndAHelpLinkToIt()
    {
        string docs = Path.Combine(RepoRoot(), "docs", "diagnostics");
        foreach (DiagnosticDescriptor descriptor in s_descriptors)
        {
            Assert.That(File.Exists(Path.Combine(docs, descriptor.Id + ".md")), Is.True, $"docs/diagnostics/{descriptor.Id}.md");
            Assert.That(descriptor.HelpLinkUri, Does.EndWith($"/docs/diagnostics/{descriptor.Id}.md"));
        }
    }

    [Test]
    public void EveryId_IsTrackedInAnalyzerReleases()
    {
        string generator = Path.Combine(RepoRoot(), "src", "Generator");
        string tracked = File.ReadAllText(Path.Combine(generator, "AnalyzerReleases.Shipped.md"))
            + File.ReadAllText(Path.Combine(generator, "AnalyzerReleases.Unshipped.md"));
        foreach (DiagnosticDescriptor descriptor in s_descriptors)
        {
            Assert.That(tracked, Does.Contain(descriptor.Id + " |"), descriptor.Id);
        }
    }

    [Test]
    public void Analyzers_SupportEveryIdExceptTheGeneratorsOwn()
    {
        var supported = new DiagnosticAnalyzer[] { new ProcessParallelAnalyzer(), new WorkerHookAnalyzer(), new HandleArgumentAnalyzer() }
            .SelectMany(a => a.SupportedDiagnostics)
            .Select(d => d.Id);
        Assert.That(supported, Is.EquivalentTo(s_descriptors.Select(d => d.Id).Where(id => id != DiagnosticDescriptors.MethodIdCollision.Id)));
    }

    private static string RepoRoot([CallerFilePath] string file = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", ".."));
}

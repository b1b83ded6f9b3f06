using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using NUnit.Framework;
using ParallelGen.Generator.Diagnostics;

namespace ParallelGen.Generator.Tests.Infrastructure;

/// <summary>The outcome of one generator run.</summary>
public sealed record GeneratorRun(GeneratorDriver Driver, GeneratorDriverRunResult Result, Compilation Output)
{
    public GeneratorRunResult Single => Result.Results.Single();
}

/// <summary>
/// Builds hermetic compilations (reference assemblies for net10.0 + the ParallelGen runtime + MemoryPack.Core) and runs
/// the generator with step tracking, as users' builds would: nullable enabled, documentation diagnosed, warnings fatal.
/// </summary>
public static class GeneratorHarness
{
    public const string AssemblyName = "App";

    /// <summary>The SDK's symbols for net10.0: MemoryPack's generator picks its code shape from them (NET7_0_OR_GREATER).</summary>
    public static readonly CSharpParseOptions ParseOptions =
        new(LanguageVersion.Latest, DocumentationMode.Diagnose, preprocessorSymbols:
        [
            "NET", "NET10_0", "NETCOREAPP", "NET5_0_OR_GREATER", "NET6_0_OR_GREATER", "NET7_0_OR_GREATER",
            "NET8_0_OR_GREATER", "NET9_0_OR_GREATER", "NET10_0_OR_GREATER", "NETCOREAPP3_1_OR_GREATER",
        ]);

    public static readonly ImmutableArray<MetadataReference> References = Net100.References.All
        .Cast<MetadataReference>()
        .ToImmutableArray()
        .Add(MetadataReference.CreateFromFile(typeof(ProcessParallelAttribute).Assembly.Location))
        .Add(MetadataReference.CreateFromFile(typeof(MemoryPack.MemoryPackSerializer).Assembly.Location));

    public static readonly CSharpCompilationOptions CompilationOptions =
        new(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            // Test inputs document nothing; every other documentation warning (bad crefs in generated docs) still counts.
            specificDiagnosticOptions: new Dictionary<string, ReportDiagnostic>
            {
                ["CS1591"] = ReportDiagnostic.Suppress,
                // The SDK suppresses these assembly-unification notes by default (MemoryPack.Core targets net8.0).
                ["CS1701"] = ReportDiagnostic.Suppress,
                ["CS1702"] = ReportDiagnostic.Suppress,
            },
            generalDiagnosticOption: ReportDiagnostic.Error);

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CreateCompilation(sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")));

    public static CSharpCompilation CreateCompilation(IEnumerable<SyntaxTree> trees, string assemblyName = AssemblyName) =>
        CSharpCompilation.Create(
            assemblyName,
            trees,
            References,
            CompilationOptions);

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            new[] { new ParallelGenGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(Compilation compilation, GeneratorDriver? driver = null)
    {
        driver = (driver ?? CreateDriver()).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        GeneratorDriverRunResult result = driver.GetRunResult();
        Assert.That(result.Results.Single().Exception, Is.Null, "the generator threw");
        return new GeneratorRun(driver, result, output);
    }

    /// <summary>Runs the generator on <paramref name="sources"/> and asserts the output compiles with no warning at all.</summary>
    public static GeneratorRun RunClean(params string[] sources)
    {
        GeneratorRun run = Run(CreateCompilation(sources));
        AssertCompilesCleanly(run);
        return run;
    }

    /// <summary>
    /// No generator diagnostics, no compiler or analyzer warnings or errors, and the output emits. MemoryPack's generator
    /// runs over our output first, as in a consumer's build: the dispatch table relies on what it adds to
    /// <c>[MemoryPackable]</c> types.
    /// </summary>
    public static void AssertCompilesCleanly(GeneratorRun run)
    {
        Assert.That(run.Result.Diagnostics, Is.Empty, "generator diagnostics");
        run = run with { Output = WithMemoryPackOutput(run.Output) };
        var compilerDiagnostics = run.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.That(compilerDiagnostics.Select(Format), Is.Empty, "the generated code must compile warning-free\n" + DumpSources(run));
        var analyzerDiagnostics = GetAnalyzerDiagnostics(run.Output);
        Assert.That(analyzerDiagnostics.Select(Format), Is.Empty, "analyzer diagnostics on valid code");
        using var stream = new MemoryStream();
        var emit = run.Output.Emit(stream);
        Assert.That(emit.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(Format), Is.Empty, "emit diagnostics");
    }

    /// <summary>Runs MemoryPack's generator over <paramref name="compilation"/>, as a consumer's build does beside ours.</summary>
    public static Compilation WithMemoryPackOutput(Compilation compilation)
    {
        Compilation output = WithMemoryPackOutput(compilation, out var diagnostics);
        Assert.That(diagnostics.Select(Format), Is.Empty, "MemoryPack generator diagnostics");
        return output;
    }

    /// <summary>Runs MemoryPack's generator over <paramref name="compilation"/> and returns what it reported (MEMPACKxxx).</summary>
    public static Compilation WithMemoryPackOutput(Compilation compilation, out ImmutableArray<Diagnostic> diagnostics)
    {
        CSharpGeneratorDriver.Create(s_memoryPackGenerators.Value, parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out diagnostics);
        return output;
    }

    private static readonly System.Lazy<ImmutableArray<ISourceGenerator>> s_memoryPackGenerators = new(() =>
    {
        string path = Path.Combine(System.AppContext.BaseDirectory, "analyzers", "MemoryPack.Generator.dll");
        Assert.That(File.Exists(path), Is.True, path + " (copied by the test project)");
        return new AnalyzerFileReference(path, new LoadFromLoader()).GetGenerators(LanguageNames.CSharp);
    });

    /// <summary>Every ParallelGen analyzer's diagnostics; <paramref name="globalOptions"/> are the <c>build_property.*</c> values.</summary>
    public static ImmutableArray<Diagnostic> GetAnalyzerDiagnostics(Compilation compilation, IReadOnlyDictionary<string, string>? globalOptions = null) =>
        compilation
            .WithAnalyzers(
                ImmutableArray.Create<DiagnosticAnalyzer>(new ProcessParallelAnalyzer(), new WorkerHookAnalyzer(), new HandleArgumentAnalyzer()),
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new TestAnalyzerConfigOptionsProvider(globalOptions ?? new Dictionary<string, string>())))
            .GetAnalyzerDiagnosticsAsync()
            .GetAwaiter()
            .GetResult();

    public static string Format(Diagnostic diagnostic) => diagnostic.ToString();

    private static string DumpSources(GeneratorRun run) =>
        string.Join("\n", run.Single.GeneratedSources.Select(s => $"// ---- {s.HintName}\n{s.SourceText}"));
}

/// <summary>Loads MemoryPack's generator into the test process (it has no dependencies beyond Roslyn, already loaded).</summary>
internal sealed class LoadFromLoader : IAnalyzerAssemblyLoader
{
    public void AddDependencyLocation(string fullPath)
    {
    }

    public System.Reflection.Assembly LoadFromPath(string fullPath) => System.Reflection.Assembly.LoadFrom(fullPath);
}

/// <summary>Global analyzer options, as MSBuild writes them for <c>CompilerVisibleProperty</c> items.</summary>
internal sealed class TestAnalyzerConfigOptionsProvider(IReadOnlyDictionary<string, string> globals) : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(globals);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

    private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly Options Empty = new(new Dictionary<string, string>());

        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
            values.TryGetValue(key, out value);
    }
}

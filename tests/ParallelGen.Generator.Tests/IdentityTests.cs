using System.Linq;
using NUnit.Framework;
using ParallelGen.Generator.Model;
using ParallelGen.Generator.Parsing;
using ParallelGen.Generator.Tests.Infrastructure;

namespace ParallelGen.Generator.Tests;

/// <summary>Method ids, signatures and hint names: stable, unique, and never order-dependent.</summary>
[TestFixture]
public sealed class IdentityTests
{
    [TestCase("", 0xCBF29CE484222325UL)]
    [TestCase("a", 0xAF63DC4C8601EC8CUL)]
    [TestCase("foobar", 0x85944171F73967E8UL)]
    public void Fnv1a64_MatchesPublishedTestVectors(string text, ulong expected) =>
        Assert.That(StableHash.Fnv1a64(text), Is.EqualTo(expected));

    [Test]
    public void KnownSignature_HasKnownId()
    {
        // Computed independently (FNV-1a 64 over the UTF-8 of "App:App.Jobs.Square(int) -> int"); a change here breaks
        // every running parent/worker pair built from different commits, so it must be deliberate.
        Assert.That(StableHash.MethodId("App", "App.Jobs.Square(int) -> int"), Is.EqualTo(0x624E51274AD9D868UL));

        GeneratorRun run = GeneratorHarness.RunClean(TestSource.Jobs("[ProcessParallel] public static int Square(int x) => x * x;"));
        string remote = run.Single.GeneratedSources.Single(s => s.HintName == "App.Jobs.ProcessParallel.g.cs").SourceText.ToString();
        Assert.That(remote, Does.Contain("\"App.Jobs.Square(int) -> int\", 0x624E51274AD9D868UL"));
    }

    [Test]
    public void Signature_IgnoresNullableReferenceAnnotations_KeepsNullableValueTypes()
    {
        GeneratorRun run = GeneratorHarness.RunClean(TestSource.Jobs("""
            [ProcessParallel] public static Task<string?> Find(string? key, int? limit, CancellationToken ct) => Task.FromResult(key);
            """));
        string remote = run.Single.GeneratedSources.Single(s => s.HintName == "App.Jobs.ProcessParallel.g.cs").SourceText.ToString();
        Assert.That(remote, Does.Contain("\"App.Jobs.Find(string, int?, System.Threading.CancellationToken) -> System.Threading.Tasks.Task<string>\""));
    }

    [Test]
    public void SameSignatureInAnotherAssembly_HasAnotherId() =>
        Assert.That(StableHash.MethodId("App", "App.Jobs.Square(int) -> int"), Is.Not.EqualTo(StableHash.MethodId("Other", "App.Jobs.Square(int) -> int")));

    [Test]
    public void HintNames_SanitizedStemsThatMeet_GetDistinctStableSuffixes()
    {
        var names = HintNames.Assign([("global::App.Foo<T>", "App.Foo<T>"), ("global::App.Foo_T_", "App.Foo_T_"), ("global::App.Bar", "App.Bar")]);
        Assert.That(names["global::App.Bar"], Is.EqualTo("App.Bar.ProcessParallel.g.cs"));
        Assert.That(names["global::App.Foo<T>"], Does.StartWith("App.Foo_T__").And.EndWith(".ProcessParallel.g.cs"));
        Assert.That(names["global::App.Foo_T_"], Does.StartWith("App.Foo_T__").And.EndWith(".ProcessParallel.g.cs"));
        Assert.That(names["global::App.Foo<T>"], Is.Not.EqualTo(names["global::App.Foo_T_"]));
        Assert.That(HintNames.Assign([("global::App.Foo<T>", "App.Foo<T>"), ("global::App.Foo_T_", "App.Foo_T_")]), Is.EqualTo(names.Where(n => n.Key != "global::App.Bar")));
    }

    [Test]
    public void TypesWhoseNamesDifferOnlyInCase_GetDistinctHintNames_AndCompile()
    {
        // Hint names become files (EmitCompilerGeneratedFiles) on case-insensitive file systems too.
        GeneratorRun run = GeneratorHarness.RunClean("""
            using ParallelGen;
            namespace App;
            public static partial class Jobs { [ProcessParallel] public static int A(int x) => x; }
            public static partial class jobs { [ProcessParallel] public static int B(int x) => x; }
            """);
        var hints = run.Single.GeneratedSources.Select(s => s.HintName).ToList();
        Assert.That(hints, Has.Count.EqualTo(3));
        Assert.That(hints.Select(h => h.ToUpperInvariant()), Is.Unique);
        Assert.That(hints, Has.All.Matches<string>(h => h == "ParallelGen.WorkerDispatch.g.cs" || h.StartsWith("App.", System.StringComparison.Ordinal)));
    }

    [Test]
    public void IdCollision_IsDetected()
    {
        ContainingTypeModel type = new("global::App.Jobs", "App", default, "App.Jobs", false);
        ParallelMethodModel Method(string name, string signature) =>
            new(type, name, name, "public", default, signature, 42UL, default, true, false, ReturnKind.Void, null, default);

        DispatchModel dispatch = OutputModels.BuildDispatch([Method("A", "App.Jobs.A() -> void"), Method("B", "App.Jobs.B() -> void")], "App");
        Assert.That(dispatch.Collisions.Single(), Is.EqualTo(new IdCollision(42UL, "App.Jobs.A() -> void", "App.Jobs.B() -> void")));
    }

    [Test]
    public void FormatterRegistrations_AreMergedAcrossMethodsDeduplicatedAndOrderedOrdinally()
    {
        ContainingTypeModel type = new("global::App.Jobs", "App", default, "App.Jobs", false);
        FormatterRegistration list = new("global::System.Collections.Generic.List<int>", "global::MemoryPack.Formatters.ListFormatter<int>");
        FormatterRegistration tuple = new("(int, string)", "global::MemoryPack.Formatters.ValueTupleFormatter<int, string>");
        FormatterRegistration job = new("global::App.Job", null);
        ParallelMethodModel Method(string name, ulong id, params FormatterRegistration[] formatters) =>
            new(type, name, name, "public", default, $"App.Jobs.{name}() -> void", id, default, true, false, ReturnKind.Void, null, formatters.ToEquatableArray());

        DispatchModel dispatch = OutputModels.BuildDispatch([Method("B", 2UL, list, job), Method("A", 1UL, job, tuple, list)], "App");
        Assert.That(dispatch.Formatters, Is.EqualTo(new[] { tuple, job, list }));
    }

    [Test]
    public void AssemblyNameWithDotsAndDashes_GivesAValidDispatchClassName()
    {
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(
            [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(TestSource.Jobs("[ProcessParallel] public static int Square(int x) => x;"), GeneratorHarness.ParseOptions)],
            assemblyName: "My.App-1"));
        GeneratorHarness.AssertCompilesCleanly(run);
        string dispatch = run.Single.GeneratedSources.Single(s => s.HintName == "ParallelGen.WorkerDispatch.g.cs").SourceText.ToString();
        Assert.That(dispatch, Does.Contain("internal static class WorkerDispatch_My_App_1"));
    }

    [Test]
    public void NoValidMethods_NoFilesAtAll()
    {
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(TestSource.Jobs("[ProcessParallel] public int Square(int x) => x;").Replace("static partial", "partial")));
        Assert.That(run.Single.GeneratedSources, Is.Empty);
    }
}

using System;
using System.Collections.Generic;
using System.Collections.Frozen;
using System.Collections.ObjectModel;
using System.Linq;
using System.Reflection;
using MemoryPack;
using NUnit.Framework;
using ParallelGen.Generator.Parsing;
using ParallelGen.Generator.Tests.Infrastructure;

namespace ParallelGen.Generator.Tests;

/// <summary>
/// The one table of types MemoryPack formats out of the box, checked against the MemoryPack.Core assembly the runtime
/// ships with: what the generator accepts (PG0009) and registers for NativeAOT must be what MemoryPack really does.
/// </summary>
[TestFixture]
public sealed class MemoryPackBuiltInsTests
{
    private static readonly Assembly s_memoryPack = typeof(MemoryPackSerializer).Assembly;

    /// <summary>The BCL assemblies that define the table's types.</summary>
    private static readonly Assembly[] s_bcl =
    [
        typeof(object).Assembly, typeof(List<>).Assembly, typeof(LinkedList<>).Assembly, typeof(ObservableCollection<>).Assembly,
        typeof(System.Collections.Concurrent.ConcurrentBag<>).Assembly, typeof(System.Collections.Immutable.ImmutableArray).Assembly,
        typeof(Enumerable).Assembly, typeof(System.Buffers.ReadOnlySequence<>).Assembly, typeof(System.Numerics.BigInteger).Assembly,
        typeof(System.Numerics.Complex).Assembly, typeof(System.Numerics.Vector2).Assembly, typeof(Uri).Assembly,
        typeof(System.Collections.BitArray).Assembly, typeof(System.Collections.Frozen.FrozenSet).Assembly,
    ];

    [Test]
    public void EveryGenericRow_NamesAMemoryPackFormatterForThatType()
    {
        Assert.That(MemoryPackBuiltIns.GenericFormatters, Is.Not.Empty);
        foreach ((string definition, string formatter) in MemoryPackBuiltIns.GenericFormatters)
        {
            int arity = int.Parse(definition[(definition.LastIndexOf('`') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            Type? formatterType = s_memoryPack.GetType($"MemoryPack.Formatters.{formatter}`{arity}");
            Assert.That(formatterType, Is.Not.Null, $"{definition}: MemoryPack.Formatters.{formatter}`{arity} does not exist");

            // MemoryPackFormatter<X>: X must be a construction of the row's generic definition.
            Type formatted = FormattedType(formatterType!);
            Assert.That(formatted.IsGenericType ? formatted.GetGenericTypeDefinition().FullName : formatted.FullName, Is.EqualTo(definition), formatter);
        }
    }

    [Test]
    public void EveryNonGenericRow_IsRegisteredByMemoryPackWhenItLoads()
    {
        foreach (string name in MemoryPackBuiltIns.ManagedTypes)
        {
            Assert.That(IsRegistered(Resolve(name)), Is.True, name);
        }

        foreach (string name in MemoryPackBuiltIns.UnmanagedTypes)
        {
            Type type = Resolve(name);
            Assert.That(IsRegistered(type), Is.True, name);
            Assert.That(IsRegistered(type.MakeArrayType()), Is.True, name + "[]: the generator registers no ArrayFormatter for it");
        }
    }

    [Test]
    public void ReadOnlyDictionary_HasNoMemoryPackFormatter_SoItIsRejected()
    {
        // MemoryPack 1.21.4 formats IReadOnlyDictionary<K,V> but has no formatter for the ReadOnlyDictionary<K,V> class:
        // accepting it (as the serializability check once did) meant a run-time failure, in JIT and NativeAOT alike.
        var value = new ReadOnlyDictionary<string, int>(new Dictionary<string, int> { ["a"] = 1 });
        var error = Assert.Throws<MemoryPackSerializationException>(() => MemoryPackSerializer.Serialize(value));
        Assert.That(error!.Message, Does.Contain("is not registered in this provider"));
        Assert.That(MemoryPackBuiltIns.GenericFormatters.Keys, Has.None.EqualTo("System.Collections.ObjectModel.ReadOnlyDictionary`2"));

        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(TestSource.Jobs("""
            [ProcessParallel] public static int Count(System.Collections.ObjectModel.ReadOnlyDictionary<string, int> map) => map.Count;
            [ProcessParallel] public static int Valid(IReadOnlyDictionary<string, int> map) => map.Count;
            """)));
        var diagnostic = GeneratorHarness.GetAnalyzerDiagnostics(run.Output).Single();
        Assert.That(diagnostic.Id, Is.EqualTo("PG0009"));
        Assert.That(diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
            Does.StartWith("The type 'System.Collections.ObjectModel.ReadOnlyDictionary<string, int>' of parameter 'map' is not MemoryPack-serializable"));
        string dispatch = run.Single.GeneratedSources.Single(s => s.HintName == "ParallelGen.WorkerDispatch.g.cs").SourceText.ToString();
        Assert.That(dispatch, Does.Contain("InterfaceReadOnlyDictionaryFormatter<string, int>").And.Not.Contain("Remote.Count"));
    }

    [Test]
    public void IReadOnlyDictionary_RoundTripsThroughTheRegisteredFormatter()
    {
        // The control for the test above: the interface the diagnostic points to does work.
        IReadOnlyDictionary<string, int> value = new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 };
        byte[] bytes = MemoryPackSerializer.Serialize(value);
        Assert.That(MemoryPackSerializer.Deserialize<IReadOnlyDictionary<string, int>>(bytes), Is.EquivalentTo(value));
    }

    [Test]
    public void FrozenCollections_AreAcceptedRegisteredAndRoundTrip()
    {
        // MemoryPack 1.21.4 formats them (FrozenDictionaryFormatter, FrozenSetFormatter), though its generator's table
        // leaves them out; the serializability check used to reject them.
        var map = new Dictionary<string, int> { ["a"] = 1 }.ToFrozenDictionary();
        var set = new HashSet<int> { 1, 2 }.ToFrozenSet();
        Assert.That(MemoryPackSerializer.Deserialize<System.Collections.Frozen.FrozenDictionary<string, int>>(MemoryPackSerializer.Serialize(map)), Is.EquivalentTo(map));
        Assert.That(MemoryPackSerializer.Deserialize<System.Collections.Frozen.FrozenSet<int>>(MemoryPackSerializer.Serialize(set)), Is.EquivalentTo(set));

        GeneratorRun run = GeneratorHarness.RunClean(TestSource.Jobs("""
            [ProcessParallel] public static System.Collections.Frozen.FrozenSet<int> Keys(System.Collections.Frozen.FrozenDictionary<string, int> map) => map.Values.ToFrozenSet();
            """).Replace("using System;", "using System;\nusing System.Collections.Frozen;"));
        string dispatch = run.Single.GeneratedSources.Single(s => s.HintName == "ParallelGen.WorkerDispatch.g.cs").SourceText.ToString();
        Assert.That(dispatch, Does.Contain("new global::MemoryPack.Formatters.FrozenDictionaryFormatter<string, int>()")
            .And.Contain("new global::MemoryPack.Formatters.FrozenSetFormatter<int>()"));
    }

    private static Type FormattedType(Type formatter)
    {
        for (Type? current = formatter; current is not null; current = current.BaseType)
        {
            if (current.IsGenericType && current.GetGenericTypeDefinition() == typeof(MemoryPackFormatter<>))
            {
                return current.GetGenericArguments()[0];
            }
        }

        throw new AssertionException(formatter + " is not a MemoryPackFormatter<T>");
    }

    private static Type Resolve(string metadataName)
    {
        Type? type = s_bcl.Select(a => a.GetType(metadataName)).FirstOrDefault(t => t is not null);
        Assert.That(type, Is.Not.Null, metadataName + " not found in the BCL assemblies this test knows");
        return type!;
    }

    private static bool IsRegistered(Type type) =>
        (bool)typeof(MemoryPackFormatterProvider).GetMethod(nameof(MemoryPackFormatterProvider.IsRegistered))!.MakeGenericMethod(type).Invoke(null, null)!;
}

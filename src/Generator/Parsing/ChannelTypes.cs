using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace ParallelGen.Generator.Parsing;

/// <summary>
/// The runtime's cross-process types (<c>ProcessQueue&lt;T&gt;</c>, <c>IProgress&lt;T&gt;</c> and the shared-state types:
/// pipes, manager objects, locks, shared memory): the caller passes its own object, which travels as a reference through
/// formatters the runtime registers, and the worker gets a proxy or a mapping of it. So they
/// are accepted only as a parameter's declared type, never as a result or inside another type (PG0017), and generated
/// code registers no formatter for them (their type arguments still need theirs). The one place that recognises them:
/// a new such type is one more name in <see cref="s_metadataNames"/>.
/// </summary>
internal static class ChannelTypes
{
    /// <summary>Metadata names of the channel types' definitions (generic or not).</summary>
    private static readonly HashSet<string> s_metadataNames = new(System.StringComparer.Ordinal)
    {
        "ParallelGen.ProcessQueue`1",
        "System.IProgress`1",

        // Shared state: pipes, manager objects, locks and shared memory travel as references too.
        "ParallelGen.ProcessPipe`1",
        "ParallelGen.ProcessPipe`2",
        "ParallelGen.ProcessDictionary`2",
        "ParallelGen.ProcessList`1",
        "ParallelGen.ProcessLock",
        "ParallelGen.ProcessEvent",
        "ParallelGen.ProcessSemaphore",
        "ParallelGen.ProcessBarrier",
        "ParallelGen.SharedArray`1",
        "ParallelGen.SharedValue`1",
    };

    /// <summary>True when <paramref name="type"/> is a channel type (any construction of one).</summary>
    public static bool IsChannel(ITypeSymbol type) =>
        type is INamedTypeSymbol named && s_metadataNames.Contains(named.OriginalDefinition.GetFullMetadataName());

    /// <summary>
    /// The first channel type that <paramref name="type"/> uses where none may stand: anywhere inside it (an element, a
    /// type argument, a containing type's type argument), and also <paramref name="type"/> itself unless
    /// <paramref name="isParameterType"/> (a channel is only meaningful as a parameter's own type). Null when none.
    /// </summary>
    public static INamedTypeSymbol? FindMisplaced(ITypeSymbol type, bool isParameterType) =>
        isParameterType && IsChannel(type) && type is INamedTypeSymbol channel
            ? FindInTypeArguments(channel)
            : Find(type);

    private static INamedTypeSymbol? Find(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => Find(array.ElementType),
        INamedTypeSymbol named when IsChannel(named) => named,
        INamedTypeSymbol named => FindInTypeArguments(named),
        _ => null,
    };

    private static INamedTypeSymbol? FindInTypeArguments(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            foreach (ITypeSymbol argument in current.TypeArguments)
            {
                if (Find(argument) is { } channel)
                {
                    return channel;
                }
            }
        }

        return null;
    }
}

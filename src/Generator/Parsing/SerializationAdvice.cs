using System.Linq;
using Microsoft.CodeAnalysis;

namespace ParallelGen.Generator.Parsing;

/// <summary>
/// What PG0009 tells the user to do about a type MemoryPack cannot serialize. "Mark it [MemoryPackable]" only helps
/// for a type declared in the user's own source: a framework or library type cannot be changed, and for most of them
/// (streams, connections, tasks, delegates) serializing is not the right idea anyway.
/// </summary>
internal static class SerializationAdvice
{
    public const string MarkMemoryPackable = "mark it [MemoryPackable] or use a supported type";

    /// <summary>The advice for <paramref name="offending"/>, the innermost type that is not serializable.</summary>
    /// <param name="offending">The type to advise about.</param>
    /// <param name="inParameter">True when it is (in) a parameter type, false when it is (in) the result.</param>
    public static string For(ITypeSymbol offending, bool inParameter)
    {
        string pass = inParameter ? "pass" : "return";
        string other = inParameter ? "the worker" : "the caller";
        switch (offending)
        {
            case { TypeKind: TypeKind.Delegate } or { SpecialType: SpecialType.System_Delegate or SpecialType.System_MulticastDelegate }:
                return inParameter
                    ? "a delegate's code and captured state cannot move to another process; pass the data it works on, or move its logic into the [ProcessParallel] method"
                    : "a delegate's code and captured state cannot move to another process; return the data it would work on";
            case { SpecialType: SpecialType.System_Object or SpecialType.System_Array } or { TypeKind: TypeKind.Dynamic }:
                return "it says nothing about what the value holds, so nothing can serialize it; use a concrete type (a primitive, a supported collection or a [MemoryPackable] type)";
            case IArrayTypeSymbol:
                return "MemoryPack handles arrays of rank 1 to 4; use a jagged array or fewer dimensions";
            case INamedTypeSymbol named when IsOrDerivesFrom(named, "System.Threading.Tasks.Task") || named.Is(WellKnownNames.ValueTask) || named.Is(WellKnownNames.ValueTaskOfT):
                return inParameter
                    ? "a task is work running in this process; await it before the call and pass its result"
                    : "a task is work running in the worker; await it inside the method and return its result";
            case INamedTypeSymbol named when IsOrDerivesFrom(named, "System.IO.Stream"):
                return $"an open stream exists only in the process that opened it; {pass} a file path, or its bytes (byte[] or ReadOnlyMemory<byte>)";
            case { DeclaringSyntaxReferences.Length: > 0 }:
                return MarkMemoryPackable;
            case INamedTypeSymbol named when named.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_IDisposable):
                return $"it comes from '{named.ContainingAssembly?.Name}' and holds a resource (a connection, a handle) that exists only in the process that made it; "
                    + (inParameter
                        ? "create it inside the [ProcessParallel] method and pass what it needs (a path, a URL, settings)"
                        : "return what the caller needs to make its own (a path, a URL, settings)");
            default:
                return $"it comes from '{offending.ContainingAssembly?.Name}', so it cannot be marked [MemoryPackable]; copy what {other} needs into a [MemoryPackable] type of your own (a DTO) or into supported types";
        }
    }

    private static bool IsOrDerivesFrom(INamedTypeSymbol type, string metadataName)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (current.Is(metadataName))
            {
                return true;
            }
        }

        return false;
    }
}

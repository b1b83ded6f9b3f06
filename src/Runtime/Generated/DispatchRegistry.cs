using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.ComponentModel;
using System.Reflection;

namespace ParallelGen.Generated;

/// <summary>
/// Every <c>[ProcessParallel]</c> method of every loaded assembly, by stable id. Each assembly's generated
/// module initializer registers its handles; a worker loads an assembly to make its methods callable.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DispatchRegistry
{
    private static readonly ConcurrentDictionary<ulong, RemoteMethod> s_methods = new();
    private static readonly ConcurrentDictionary<Assembly, bool> s_assemblies = new();

    /// <summary>Registers an assembly's handles; called by its generated module initializer.</summary>
    /// <param name="assembly">The assembly that declares the methods.</param>
    /// <param name="methods">Its handles.</param>
    public static void Register(Assembly assembly, params RemoteMethod[] methods)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(methods);
        foreach (RemoteMethod method in methods)
        {
            RemoteMethod existing = s_methods.GetOrAdd(method.Info.Id, method);
            if (!ReferenceEquals(existing, method) && existing.Info.Signature != method.Info.Signature)
            {
                throw new InvalidOperationException(
                    $"Method id 0x{method.Info.Id:X16} is claimed by both {existing.Info.Signature} and {method.Info.Signature}.");
            }
        }

        s_assemblies.TryAdd(assembly, true);
    }

    internal static bool TryGet(ulong id, out RemoteMethod method) => s_methods.TryGetValue(id, out method!);

    /// <summary>Every assembly that has registered methods in this process.</summary>
    internal static ICollection<Assembly> Assemblies => s_assemblies.Keys;
}

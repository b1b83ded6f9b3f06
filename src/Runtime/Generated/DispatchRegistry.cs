using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Reflection;
using System.Threading;

namespace ParallelGen.Generated;

/// <summary>
/// Every <c>[ProcessParallel]</c> method of every loaded assembly, by stable id. Each assembly's generated
/// module initializer registers its handles; a worker loads an assembly to make its methods callable.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DispatchRegistry
{
    // Written rarely (an assembly's module initializer), read on every call a worker runs: each registration publishes
    // new copies, so lookups take no lock. Plain Dictionary/List (System.Private.CoreLib) rather than the concurrent
    // collections: a worker would otherwise load System.Collections.Concurrent for this alone.
    private static readonly object s_gate = new();
    private static Dictionary<ulong, RemoteMethod> s_methods = new();
    private static Assembly[] s_assemblies = [];

    /// <summary>Registers an assembly's handles; called by its generated module initializer.</summary>
    /// <param name="assembly">The assembly that declares the methods.</param>
    /// <param name="methods">Its handles.</param>
    public static void Register(Assembly assembly, params RemoteMethod[] methods)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(methods);
        lock (s_gate)
        {
            var updated = new Dictionary<ulong, RemoteMethod>(s_methods);
            foreach (RemoteMethod method in methods)
            {
                if (!updated.TryAdd(method.Info.Id, method))
                {
                    RemoteMethod existing = updated[method.Info.Id];
                    if (!ReferenceEquals(existing, method) && existing.Info.Signature != method.Info.Signature)
                    {
                        throw new InvalidOperationException(
                            $"Method id 0x{method.Info.Id:X16} is claimed by both {existing.Info.Signature} and {method.Info.Signature}.");
                    }
                }
            }

            Volatile.Write(ref s_methods, updated);
            if (Array.IndexOf(s_assemblies, assembly) < 0)
            {
                Volatile.Write(ref s_assemblies, [.. s_assemblies, assembly]);
            }
        }
    }

    internal static bool TryGet(ulong id, out RemoteMethod method) => Volatile.Read(ref s_methods).TryGetValue(id, out method!);

    /// <summary>Every assembly that has registered methods in this process.</summary>
    internal static IReadOnlyList<Assembly> Assemblies => Volatile.Read(ref s_assemblies);
}

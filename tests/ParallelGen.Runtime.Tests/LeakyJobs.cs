using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using MemoryPack;
using ParallelGen.Generated;
using ParallelGen.Serialization;

namespace ParallelGen.Runtime.Tests;

/// <summary>A call that leaks memory, with a hand-written handle like <see cref="HandWrittenJobs"/>.</summary>
public static class LeakyJobs
{
    private static readonly List<byte[]> s_leaked = new();

    /// <summary>Keeps <paramref name="megabytes"/> MB alive for good (every page written, so resident); returns the worker's pid.</summary>
    public static int Leak(int megabytes)
    {
        byte[] block = GC.AllocateUninitializedArray<byte>(megabytes * 1024 * 1024);
        Array.Fill(block, (byte)1);
        s_leaked.Add(block);
        return Environment.ProcessId;
    }

    public static class Remote
    {
        public static readonly RemoteFunc<int, int> Leak = new(
            Info(nameof(LeakyJobs.Leak), "(int) -> int"),
            static (ref MemoryPackWriter<PayloadBuffer> writer, int args) => writer.WriteValue(args),
            static (ref MemoryPackReader reader) => reader.ReadValue<int>(),
            static (args, cancellationToken) => new ValueTask<int>(LeakyJobs.Leak(args)));

        private static RemoteMethodInfo Info(string name, string signature)
        {
            string full = "ParallelGen.Runtime.Tests.LeakyJobs." + name + signature;
            return new RemoteMethodInfo(typeof(LeakyJobs), name, full, StableId(full));
        }

        private static ulong StableId(string text)
        {
            ulong hash = 14695981039346656037UL;
            foreach (char c in text)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            return hash;
        }
    }

    [ModuleInitializer]
    internal static void Register() => DispatchRegistry.Register(typeof(LeakyJobs).Assembly, Remote.Leak);
}

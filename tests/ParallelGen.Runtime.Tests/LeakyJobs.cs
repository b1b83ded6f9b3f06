using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using ParallelGen.Generated;

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
        private static readonly HandWrittenHandles Handles = new(typeof(LeakyJobs));

        public static readonly RemoteFunc<int, int> Leak = Handles.Func<int, int>(
            nameof(LeakyJobs.Leak),
            "(int) -> int",
            static (args, cancellationToken) => new ValueTask<int>(LeakyJobs.Leak(args)));
    }

    [ModuleInitializer]
    internal static void Register() => DispatchRegistry.Register(typeof(LeakyJobs).Assembly, Remote.Leak);
}

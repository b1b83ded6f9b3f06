using System;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using MemoryPack;
using ParallelGen.Generated;
using ParallelGen.Serialization;

namespace ParallelGen.Runtime.Tests;

/// <summary>Calls for the shared-memory transport's fault tests, with hand-written handles like <see cref="HandWrittenJobs"/>.</summary>
public static class SharedMemoryJobs
{
    /// <summary>Reports 1 to the caller's progress object, then returns <paramref name="count"/> bytes of 7.</summary>
    public static byte[] ReportThenMakeBytes(IProgress<int> progress, int count)
    {
        progress.Report(1);
        byte[] bytes = GC.AllocateUninitializedArray<byte>(count);
        Array.Fill(bytes, (byte)7);
        return bytes;
    }

    public static class Remote
    {
        private static readonly HandWrittenHandles Handles = new(typeof(SharedMemoryJobs));

        public static readonly RemoteFunc<(IProgress<int> progress, int count), byte[]> ReportThenMakeBytes = new(
            Handles.Info(nameof(SharedMemoryJobs.ReportThenMakeBytes), "(System.IProgress<int>, int) -> byte[]"),
            static (ref MemoryPackWriter<PayloadBuffer> writer, (IProgress<int> progress, int count) args) =>
            {
                writer.WriteValue(args.Item1);
                writer.WriteValue(args.Item2);
            },
            static (ref MemoryPackReader reader) => (reader.ReadValue<IProgress<int>>()!, reader.ReadValue<int>()!),
            static (args, cancellationToken) => new ValueTask<byte[]>(SharedMemoryJobs.ReportThenMakeBytes(args.Item1, args.Item2)));
    }

    [ModuleInitializer]
    internal static void Register() => DispatchRegistry.Register(typeof(SharedMemoryJobs).Assembly, Remote.ReportThenMakeBytes);
}

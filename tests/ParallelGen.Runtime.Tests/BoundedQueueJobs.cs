using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using MemoryPack;
using ParallelGen.Generated;
using ParallelGen.Serialization;

namespace ParallelGen.Runtime.Tests;

/// <summary>Producers for bounded-queue tests, with hand-written handles like <see cref="HandWrittenJobs"/>.</summary>
public static class BoundedQueueJobs
{
    /// <summary>
    /// Puts 0..<paramref name="count"/>-1 into <paramref name="queue"/> (with <c>PutAsync</c> if <paramref name="useAsync"/>),
    /// and after each put returns, puts the same number into the unbounded <paramref name="done"/>: the caller sees how
    /// far the producer got.
    /// </summary>
    public static async Task<int> ProduceAndReport(ProcessQueue<int> queue, ProcessQueue<int> done, int count, bool useAsync)
    {
        for (int i = 0; i < count; i++)
        {
            if (useAsync)
            {
                await queue.PutAsync(i).ConfigureAwait(false);
            }
            else
            {
                queue.Put(i);
            }

            done.Put(i);
        }

        return count;
    }

    public static class Remote
    {
        private static readonly HandWrittenHandles Handles = new(typeof(BoundedQueueJobs));

        public static readonly RemoteFunc<(ProcessQueue<int> queue, ProcessQueue<int> done, int count, bool useAsync), int> ProduceAndReport = new(
            Handles.Info(nameof(BoundedQueueJobs.ProduceAndReport), "(ParallelGen.ProcessQueue<int>, ParallelGen.ProcessQueue<int>, int, bool) -> System.Threading.Tasks.Task<int>"),
            static (ref MemoryPackWriter<PayloadBuffer> writer, (ProcessQueue<int> queue, ProcessQueue<int> done, int count, bool useAsync) args) =>
            {
                writer.WriteValue(args.Item1);
                writer.WriteValue(args.Item2);
                writer.WriteValue(args.Item3);
                writer.WriteValue(args.Item4);
            },
            static (ref MemoryPackReader reader) => (reader.ReadValue<ProcessQueue<int>>()!, reader.ReadValue<ProcessQueue<int>>()!, reader.ReadValue<int>(), reader.ReadValue<bool>()),
            static (args, cancellationToken) => new ValueTask<int>(BoundedQueueJobs.ProduceAndReport(args.Item1, args.Item2, args.Item3, args.Item4)));
    }

    [ModuleInitializer]
    internal static void Register() => DispatchRegistry.Register(typeof(BoundedQueueJobs).Assembly, Remote.ProduceAndReport);
}

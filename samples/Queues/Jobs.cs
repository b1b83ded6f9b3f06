using System;
using System.Threading;
using ParallelGen;

namespace Queues;

/// <summary>The producers of the sample. Each runs in a worker process and writes to the caller's queue.</summary>
public static partial class Jobs
{
    /// <summary>
    /// Puts <paramref name="count"/> items into <paramref name="queue"/>, numbered 0, 1, 2, ... In the worker,
    /// <paramref name="queue"/> is a proxy: each <c>Put</c> sends the item to the process that created the queue.
    /// </summary>
    /// <param name="queue">The caller's queue.</param>
    /// <param name="producer">This producer's id.</param>
    /// <param name="count">How many items to put.</param>
    /// <param name="millisecondsPerItem">Simulated work before each item, so that the producers interleave.</param>
    /// <returns>How many items were put.</returns>
    [ProcessParallel]
    public static int Produce(ProcessQueue<(int Producer, int Sequence, int ProcessId)> queue, int producer, int count, int millisecondsPerItem)
    {
        for (int i = 0; i < count; i++)
        {
            Thread.Sleep(millisecondsPerItem); // stands in for real work
            queue.Put((producer, i, Environment.ProcessId));
        }

        return count;
    }
}

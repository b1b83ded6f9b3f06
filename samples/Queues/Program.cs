using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using ParallelGen;
using Queues;

// Python's multiprocessing.Queue passed to workers:
//
//     q = Queue()
//     with Pool(3) as pool:
//         results = [pool.apply_async(produce, (q, i, n, 5)) for i in range(4)]
//         for _ in range(4 * n):
//             item = q.get(timeout=10)
//
// In ParallelGen the queue is a ProcessQueue<T>, created in the caller and passed as an ordinary argument.
// Workers Put; the caller Gets. T must be MemoryPack-serializable (here a named tuple).
Console.WriteLine($"Parent process id: {Environment.ProcessId}");

const int Producers = 4;
const int ItemsPerProducer = 200;
const int MillisecondsPerItem = 5;

using var pool = new ProcessPool(3);
Console.WriteLine($"Started a pool of {pool.Processes} worker processes.");

Heading("1. several producers put items into one queue");
var queue = new ProcessQueue<(int Producer, int Sequence, int ProcessId)>();

// Python: pool.apply_async(produce, (q, i, n, 5)). Several parameters travel as one tuple.
// Four producers on three workers: three run at once, the fourth starts when one of them finishes.
AsyncResult<int>[] producers = Enumerable.Range(1, Producers)
    .Select(id => pool.ApplyAsync(Jobs.Remote.Produce, (queue, id, ItemsPerProducer, MillisecondsPerItem)))
    .ToArray();
Console.WriteLine($"submitted {Producers} producers of {ItemsPerProducer} items each");

Heading("2. the caller drains the queue with Get(timeout)");
// Get waits for the next item; Get(timeout) throws TimeoutException if none arrives in time (Python's queue.Empty).
// Items stream in while the producers are still running: the first one arrives long before the last is put.
var clock = System.Diagnostics.Stopwatch.StartNew();
var arrived = new List<(int Producer, int Sequence, int ProcessId)>();
for (int i = 0; i < Producers * ItemsPerProducer; i++)
{
    arrived.Add(queue.Get(TimeSpan.FromSeconds(30)));
    if (i == 0)
    {
        Console.WriteLine($"first item after {clock.ElapsedMilliseconds} ms: {arrived[0]}; producers all done yet? {producers.All(p => p.Ready)}");
    }
}

Console.WriteLine($"received {arrived.Count} items after {clock.ElapsedMilliseconds} ms");
foreach (IGrouping<int, (int Producer, int Sequence, int ProcessId)> fromOne in arrived.GroupBy(item => item.Producer).OrderBy(g => g.Key))
{
    Console.WriteLine($"  producer {fromOne.Key}: {fromOne.Count()} items, put by worker pid {string.Join(", ", fromOne.Select(item => item.ProcessId).Distinct())}");
}

// Arrival order as runs of producer ids, e.g. "1×340 2×512 1×...": the producers interleave.
Console.WriteLine($"arrival order (producer×run length): {Runs(arrived.Select(item => item.Producer))}");

Heading("3. each producer's items keep their order");
// Across producers there is no order; within one producer, items arrive in the order they were put.
foreach (IGrouping<int, (int Producer, int Sequence, int ProcessId)> fromOne in arrived.GroupBy(item => item.Producer).OrderBy(g => g.Key))
{
    int[] sequence = fromOne.Select(item => item.Sequence).ToArray();
    bool inOrder = sequence.SequenceEqual(Enumerable.Range(0, ItemsPerProducer));
    Console.WriteLine($"  producer {fromOne.Key}: 0, 1, 2, ..., {sequence[^1]} in order? {inOrder}");
}

Heading("4. results and an empty queue");
// A call's items arrive before its result, so once every result is in, nothing more is coming.
Console.WriteLine($"producers returned: {string.Join(", ", producers.Select(p => p.Get()))}");
// TryGet never waits: Python's q.get_nowait(), returning false instead of raising queue.Empty.
Console.WriteLine($"TryGet on the drained queue: {queue.TryGet(out _)}; Count = {queue.Count}");
try
{
    queue.Get(TimeSpan.FromMilliseconds(100));
}
catch (TimeoutException error)
{
    Console.WriteLine($"Get(100 ms): TimeoutException: {error.Message}");
}

Console.WriteLine();
Console.WriteLine("done");

static string Runs(IEnumerable<int> ids)
{
    var text = new StringBuilder();
    int current = -1;
    int length = 0;
    int runs = 0;
    foreach (int id in ids.Append(-1))
    {
        if (id == current)
        {
            length++;
            continue;
        }

        if (length > 0)
        {
            runs++;
            if (runs <= 12)
            {
                text.Append($"{current}×{length} ");
            }
        }

        current = id;
        length = 1;
    }

    return runs > 12 ? $"{text}... ({runs} runs in all)" : text.ToString().TrimEnd();
}

static void Heading(string title)
{
    Console.WriteLine();
    Console.WriteLine($"== {title} ==");
}

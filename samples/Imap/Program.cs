using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Imap;
using ParallelGen;

// Python's pool.imap and pool.imap_unordered: like map, but results come back one by one, as soon as they are
// ready, while the rest is still computing.
//
//     for result in pool.imap(work, tasks):            # input order
//     for result in pool.imap_unordered(work, tasks):  # completion order
//
// Each task below is (id, milliseconds): Work(id, ms) sleeps that long in a worker and returns (id, ms, pid).
Console.WriteLine($"Parent process id: {Environment.ProcessId}");

using var pool = new ProcessPool(2);
Console.WriteLine($"Started a pool of {pool.Processes} worker processes.");

// Wait until both workers have started, so that the timings below measure the tasks alone.
pool.Map(Jobs.Remote.Work, [(-1, 50), (-2, 50)]);

// Task 0 is slow, the others quick: the difference between the two orders shows at once.
(int, int)[] tasks = [(0, 900), (1, 100), (2, 300), (3, 100), (4, 500), (5, 100)];
Console.WriteLine($"tasks (id, ms): {string.Join(" ", tasks)}");

Heading("1. imap: results in input order");
// Task 0 takes 900 ms, so tasks 1-5 wait behind it even though they finished earlier.
var clock = Stopwatch.StartNew();
foreach ((int task, int ms, int pid) in pool.Imap(Jobs.Remote.Work, tasks))
{
    Console.WriteLine($"  {clock.ElapsedMilliseconds,5} ms  task {task} ({ms} ms) from pid {pid}");
}

Heading("2. imap_unordered: results in completion order");
// Each result is yielded the moment its task finishes: the quick tasks first, task 0 late.
clock.Restart();
foreach ((int task, int ms, int pid) in pool.ImapUnordered(Jobs.Remote.Work, tasks))
{
    Console.WriteLine($"  {clock.ElapsedMilliseconds,5} ms  task {task} ({ms} ms) from pid {pid}");
}

Heading("3. laziness: the first result arrives before the input is read to the end");
// 1000 tasks of 2 ms on 2 workers take about a second. The input is a generator that counts what imap has read:
// imap reads a bounded window ahead of the results (a few chunks per worker), never the whole input at once
// (Python's imap reads it all).
const int Total = 1000;
int read = 0;
IEnumerable<(int, int)> Generate()
{
    for (int i = 0; i < Total; i++)
    {
        read++;
        yield return (i, 2);
    }
}

clock.Restart();
long firstAt = -1;
foreach ((int task, _, int pid) in pool.Imap(Jobs.Remote.Work, Generate()))
{
    if (firstAt < 0)
    {
        firstAt = clock.ElapsedMilliseconds;
        Console.WriteLine($"  first result (task {task}, pid {pid}) after {firstAt} ms; input items read so far: {read} of {Total}");
    }
}

Console.WriteLine($"  last result after {clock.ElapsedMilliseconds} ms; input items read: {read} of {Total}");

// Breaking out of the loop early (the foreach disposes the enumerator) cancels the tasks still queued; the rest
// of the input is never read.
read = 0;
foreach ((int task, _, _) in pool.Imap(Jobs.Remote.Work, Generate()))
{
    if (task == 2)
    {
        Console.WriteLine($"  break after task {task}: {read} of {Total} input items were read; the queued tasks are cancelled");
        break;
    }
}

Heading("4. chunkSize: send several items to a worker in one task");
// chunkSize 4: 12 items become 3 tasks of 4. Fewer messages (good for many small items), but results come back a
// chunk at a time, and each chunk runs on one worker: look at the pids and the arrival times.
(int, int)[] small = Enumerable.Range(0, 12).Select(i => (i, 100)).ToArray();
foreach (int chunkSize in new[] { 1, 4 })
{
    Console.WriteLine($"  chunkSize = {chunkSize}:");
    clock.Restart();
    foreach ((int task, _, int pid) in pool.Imap(Jobs.Remote.Work, small, chunkSize: chunkSize))
    {
        Console.WriteLine($"    {clock.ElapsedMilliseconds,5} ms  task {task,2} from pid {pid}");
    }
}

Heading("5. await foreach: ImapAsync and ImapUnorderedAsync");
// The same, without blocking a thread while waiting: IAsyncEnumerable<T>.
clock.Restart();
await foreach ((int task, int ms, int pid) in pool.ImapAsync(Jobs.Remote.Work, tasks))
{
    Console.WriteLine($"  ImapAsync           {clock.ElapsedMilliseconds,5} ms  task {task} ({ms} ms) from pid {pid}");
}

clock.Restart();
await foreach ((int task, int ms, int pid) in pool.ImapUnorderedAsync(Jobs.Remote.Work, tasks))
{
    Console.WriteLine($"  ImapUnorderedAsync  {clock.ElapsedMilliseconds,5} ms  task {task} ({ms} ms) from pid {pid}");
}

Heading("6. an error mid-stream surfaces at its place in the sequence");
// Results before the failing item arrive normally; then the loop throws the worker's exception.
try
{
    foreach (int value in pool.Imap(Jobs.Remote.WorkOrFail, Enumerable.Range(0, 6)))
    {
        Console.WriteLine($"  got {value}");
    }
}
catch (RemoteException error)
{
    Console.WriteLine($"  RemoteException {error.RemoteType}: {error.Message}");
}

Console.WriteLine();
Console.WriteLine("done");

static void Heading(string title)
{
    Console.WriteLine();
    Console.WriteLine($"== {title} ==");
}

using System;
using System.Linq;
using System.Threading;
using ParallelGen;
using QuickStart;

// Python's multiprocessing.Pool, verb by verb. Every call below runs in a child process.
Console.WriteLine($"Parent process id: {Environment.ProcessId}");

// Python: with Pool(2) as pool:
using var pool = new ProcessPool(2);
Console.WriteLine($"Started a pool of {pool.Processes} worker processes.");

Heading("apply: run one call and wait for it");
int y = pool.Apply(Jobs.Remote.Square, 7);
Console.WriteLine($"Square(7) = {y}");

Heading("apply with no arguments: where does the work run?");
int[] pids = Enumerable.Range(0, 8).Select(_ => pool.ApplyAsync(Jobs.Remote.WorkerProcessId)).ToArray().Select(r => r.Get()).ToArray();
Console.WriteLine($"parent pid {Environment.ProcessId}; worker pids seen: {string.Join(", ", pids.Distinct().Order())}");

Heading("apply_async with a callback");
AsyncResult<int> pending = pool.ApplyAsync(
    Jobs.Remote.Square,
    12,
    callback: value => Console.WriteLine($"callback got {value}"),
    errorCallback: error => Console.WriteLine($"error callback got {error.Message}"));
Console.WriteLine("submitted; this thread is free while a worker computes");
Console.WriteLine($"Get() = {pending.Get()}, Ready = {pending.Ready}, Successful = {pending.Successful}");

Heading("map: results come back in input order");
int[] squares = pool.Map(Jobs.Remote.Square, Enumerable.Range(0, 10));
Console.WriteLine(string.Join(", ", squares));

Heading("map with chunkSize: 1000 items, 100 per task sent to a worker");
int[] many = pool.Map(Jobs.Remote.Square, Enumerable.Range(0, 1000), chunkSize: 100);
Console.WriteLine($"{many.Length} results; last = {many[^1]}; sum = {many.Sum(v => (long)v)}");

Heading("starmap: several parameters as tuples (Dot(a, b))");
(double[] a, double[] b)[] pairs =
[
    ([1, 2, 3], [4, 5, 6]),
    ([1, 0], [0, 1]),
    ([0.5, 0.5], [2, 2]),
];
double[] dots = pool.Map(Jobs.Remote.Dot, pairs);
Console.WriteLine(string.Join(", ", dots));
Console.WriteLine($"apply with a tuple: Dot([1, 1], [2, 3]) = {pool.Apply(Jobs.Remote.Dot, ([1.0, 1.0], [2.0, 3.0]))}");

Heading("map_async: returns at once; await or Get() later");
AsyncResult<int[]> mapped = pool.MapAsync(Jobs.Remote.Square, Enumerable.Range(1, 5));
int[] awaited = await mapped;
Console.WriteLine($"awaited: {string.Join(", ", awaited)}");

Heading("imap / imap_unordered: results as they come, lazily");
foreach (int value in pool.Imap(Jobs.Remote.Square, Enumerable.Range(1, 5)))
{
    Console.Write($"{value} ");
}

Console.WriteLine("(imap: input order)");
int[] unordered = pool.ImapUnordered(Jobs.Remote.Square, Enumerable.Range(1, 5)).ToArray();
Console.WriteLine($"{string.Join(" ", unordered)} (imap_unordered: completion order)");

Heading("an async Task<string> method: awaited in the worker");
string text = await pool.ApplyAsync(Jobs.Remote.FetchAsync, "answer");
Console.WriteLine(text);

Heading("a void method: its Console output is forwarded to this console");
pool.Apply(Jobs.Remote.Log, "hello from a worker");
pool.Map(Jobs.Remote.Log, ["one", "two", "three"]);

Heading("an exception in the worker comes back as RemoteException");
try
{
    pool.Apply(Jobs.Remote.Divide, (1, 0));
}
catch (RemoteException error)
{
    Console.WriteLine($"RemoteType: {error.RemoteType}");
    Console.WriteLine($"Message:    {error.Message}");
    Console.WriteLine($"Worker pid: {error.WorkerProcessId?.ToString() ?? "(unknown)"}");
    Console.WriteLine($"Remote stack trace, first line: {error.RemoteStackTrace?.Split('\n')[0].Trim()}");
}

Heading("cancellation: the caller's token reaches the method in the worker");
using (var cts = new CancellationTokenSource())
{
    AsyncResult<int> counting = pool.ApplyAsync(Jobs.Remote.CountUntilCancelled, int.MaxValue, cancellationToken: cts.Token);
    cts.CancelAfter(TimeSpan.FromMilliseconds(200));
    try
    {
        Console.WriteLine($"counted to {await counting}");
    }
    catch (OperationCanceledException)
    {
        Console.WriteLine("cancelled: the result failed with OperationCanceledException");
    }
}

Heading("Process: one call in a dedicated new process");
WorkerProcess<int> process = WorkerProcess.Start(Jobs.Remote.WorkerProcessId);
process.Join();
Console.WriteLine($"process {process.Id} exited with code {process.ExitCode}; its result: {process.Result.Get()}");

Heading("close and join: no new work; wait for the workers to exit");
pool.Close();
pool.Join();
Console.WriteLine("done");

static void Heading(string title)
{
    Console.WriteLine();
    Console.WriteLine($"== {title} ==");
}

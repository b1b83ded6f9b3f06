using System;
using System.Diagnostics;
using System.Linq;
using ParallelGen;
using SharedState;

// Python's ways to share state between processes, in ParallelGen: Pipe, Manager().dict(), Lock, and shared memory.
// Every object is created here, in the caller, and passed to workers as an ordinary argument; see docs/shared-state.md.
Console.WriteLine($"Parent process id: {Environment.ProcessId}");

Heading("1. Process + Pipe (Python: parent_conn, child_conn = Pipe(); Process(target=f, args=(child_conn,)).start())");
var (parentConn, childConn) = ProcessPipe.Create<string>();
WorkerProcess greeter = WorkerProcess.Start(Jobs.Remote.Greeter, childConn);
childConn.Close(); // as in Python's recipe: the child's end now belongs to the child
Console.WriteLine($"child {greeter.Id} says: {parentConn.Receive()}");
foreach (string question in new[] { "pipe", "manager" })
{
    parentConn.Send(question);
    Console.WriteLine($"asked '{question}', child answered: {parentConn.Receive()}");
}

parentConn.Send("bye");
greeter.Join();
try
{
    parentConn.Receive();
}
catch (System.IO.EndOfStreamException)
{
    Console.WriteLine($"child exited with code {greeter.ExitCode}; the pipe reports end of stream (Python's EOFError)");
}

Heading("2. two processes talking to each other through a pipe");
var (producerEnd, consumerEnd) = ProcessPipe.Create<int>();
WorkerProcess<long> consumer = WorkerProcess.Start(Jobs.Remote.Consumer, consumerEnd);
WorkerProcess producer = WorkerProcess.Start(Jobs.Remote.Producer, (producerEnd, 1000));
Console.WriteLine($"producer {producer.Id} -> consumer {consumer.Id}: sum of squares 1..1000 = {consumer.Result.Get()} (expected {Enumerable.Range(1, 1000).Sum(i => (long)i * i)})");

using var pool = new ProcessPool(2);

Heading("3. Manager().dict() filled by a pool, read back in order");
using var results = new ProcessDictionary<int, (int Square, int Worker)>();
pool.Map(Jobs.Remote.Square, Enumerable.Range(1, 10).Select(x => (results, x)));
foreach ((int x, (int square, int worker)) in results.ToDictionary().OrderBy(e => e.Key))
{
    Console.WriteLine($"{x,2} -> {square,3} (worker {worker})");
}

Heading("4. a ProcessLock-guarded counter: 2 workers x 500 read-add-write steps");
using var gate = new ProcessLock();
using var counter = new ProcessDictionary<string, int>();
counter["hits"] = 0;
pool.Map(Jobs.Remote.Bump, Enumerable.Range(0, 2).Select(_ => (gate, counter, 500)), chunkSize: 1);
Console.WriteLine($"hits = {counter["hits"]} (1000 expected: the lock makes each read-add-write one step)");

Heading("5. a SharedArray filled in parallel: the workers write into the caller's memory, nothing is copied");
const int Length = 10_000_000;
using var data = new SharedArray<double>(Length);
var clock = Stopwatch.StartNew();
int[] workers = pool.Map(Jobs.Remote.Fill, Enumerable.Range(0, 8).Select(i => (data, i * Length / 8, (i + 1) * Length / 8)), chunkSize: 1);
Console.WriteLine($"{Length:N0} doubles ({Length * 8 / 1_000_000} MB) filled by workers {string.Join(", ", workers.Distinct())} in {clock.ElapsedMilliseconds} ms");
Console.WriteLine($"data[1234567] = {data[1234567]:F6}, Math.Sin(1234.567) = {Math.Sin(1234.567):F6}");

static void Heading(string text)
{
    Console.WriteLine();
    Console.WriteLine(text);
}

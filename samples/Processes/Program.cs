using System;
using System.Linq;
using ParallelGen;
using Processes;

// Python's multiprocessing.Process: one call, one dedicated new process.
//
//     p = Process(target=greet, args=("Ada",))
//     p.start()
//     p.join()
//     print(p.exitcode)
//
// In ParallelGen, WorkerProcess.Start(handle, args) is start(): the process is launched and the call sent at once.
Console.WriteLine($"Parent process id: {Environment.ProcessId}");

Heading("1. start() and join(): three processes running Greet");
// Start them all first, so they run at the same time, then wait for each one.
string[] names = ["Ada", "Grace", "Linus"];
WorkerProcess<string>[] greeters = names.Select(name => WorkerProcess.Start(Jobs.Remote.Greet, name)).ToArray();
foreach (WorkerProcess<string> p in greeters)
{
    Console.WriteLine($"started pid {p.Id}");
}

foreach (WorkerProcess<string> p in greeters)
{
    p.Join();                                 // p.join()
    // Result is an AsyncResult<string>: what the target returned.
    Console.WriteLine($"pid {p.Id}: IsAlive = {p.IsAlive}, ExitCode = {p.ExitCode}, Result = \"{p.Result.Get()}\"");
}

Heading("2. exitcode: 0 for success, 1 for an exception, N for Environment.Exit(N)");
WorkerProcess<string> ok = WorkerProcess.Start(Jobs.Remote.Greet, "exit codes");
WorkerProcess<string> failing = WorkerProcess.Start(Jobs.Remote.Fail, "something went wrong");
WorkerProcess<int> exiting = WorkerProcess.Start(Jobs.Remote.ExitWith, 3);
ok.Join();
failing.Join();
exiting.Join();
Console.WriteLine($"Greet         pid {ok.Id}: ExitCode = {ok.ExitCode}");
Console.WriteLine($"Fail          pid {failing.Id}: ExitCode = {failing.ExitCode}");
Console.WriteLine($"ExitWith(3)   pid {exiting.Id}: ExitCode = {exiting.ExitCode}");

// Python only gives you the exit code; here the Result also says what happened.
try
{
    failing.Result.Get();
}
catch (RemoteException error)
{
    Console.WriteLine($"Fail's Result:     RemoteException {error.RemoteType}: {error.Message}");
}

try
{
    exiting.Result.Get();
}
catch (WorkerCrashedException error)
{
    Console.WriteLine($"ExitWith's Result: WorkerCrashedException (exit code {error.ExitCode}): {error.Message}");
}

Heading("3. kill(): stop a process that is still running");
// Python: p.kill() sends SIGKILL; p.exitcode is then -9. The process exit code a shell sees is 128 + 9 = 137.
// To kill it *while it runs* (not before it started), wait for a sign of life: the worker puts its pid in a
// ProcessQueue as its first act. No sleeping, no guessing.
var started = new ProcessQueue<int>();
WorkerProcess<int> runner = WorkerProcess.Start(Jobs.Remote.RunUntilKilled, started);
int reportedPid = started.Get(TimeSpan.FromSeconds(60));
Console.WriteLine($"worker {reportedPid} says it is running; IsAlive = {runner.IsAlive}, ExitCode = {(runner.ExitCode?.ToString() ?? "null")}");

// join(timeout) returns false while it is still running.
bool finished = runner.Join(TimeSpan.FromMilliseconds(200));
Console.WriteLine($"Join(200 ms) = {finished} (still running)");

runner.Kill();
runner.Join();
Console.WriteLine($"after Kill(): IsAlive = {runner.IsAlive}, ExitCode = {runner.ExitCode}");
try
{
    runner.Result.Get();
}
catch (WorkerCrashedException error)
{
    Console.WriteLine($"its Result: WorkerCrashedException (signal {error.Signal?.ToString() ?? "?"}): {error.Message}");
}

Console.WriteLine();
Console.WriteLine("done");

static void Heading(string title)
{
    Console.WriteLine();
    Console.WriteLine($"== {title} ==");
}

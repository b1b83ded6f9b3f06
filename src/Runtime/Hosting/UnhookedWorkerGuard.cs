using System;

namespace ParallelGen.Hosting;

/// <summary>
/// Stops a worker that ended up running the app's own program. A single-file, NativeAOT or self-contained app starts
/// its own executable as its workers; if its <c>Main</c> does not begin with <see cref="ProcessWorker.RunIfWorker"/>,
/// the copy runs the program as if it were the parent, and its pool starts more copies, without limit. Such a copy
/// is recognisable: it has the worker command line and still holds the launch token, which a real worker removes
/// from its environment first thing (<see cref="WorkerHost.Run"/>). When it opens a pool it exits at once with
/// <see cref="WorkerArguments.MissingHookExitCode"/>, which its parent turns into a <see cref="WorkerStartException"/>
/// with the same advice.
/// </summary>
internal static class UnhookedWorkerGuard
{
    public const string Advice =
        "Add `ProcessWorker.RunIfWorker(args);` as the first statement of the app's Main (with top-level statements, the " +
        "first line of Program.cs): a single-file, NativeAOT or self-contained app starts its own executable as its " +
        "workers, and that call is what turns such a copy into a worker instead of running the program again.";

    /// <summary>Exits the process if it is a worker copy of the app that reached the app's own code.</summary>
    public static void ExitIfUnhookedWorker()
    {
        if (!IsUnhookedWorker())
        {
            return;
        }

        Console.Error.WriteLine(
            "ParallelGen: this process was started as a worker of a ProcessPool, but its Main ran the app instead of the " +
            "worker, and it tried to open a pool of its own. It exits now rather than start copies of itself. " + Advice);
        Console.Error.Flush();
        Environment.Exit(WorkerArguments.MissingHookExitCode);
    }

    private static bool IsUnhookedWorker() =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(WorkerArguments.TokenVariable))
        && WorkerArguments.IsWorkerCommandLine(Environment.GetCommandLineArgs());
}

using System;

namespace ParallelGen;

/// <summary>
/// The worker entry point for apps that have no separate ParallelGen.dll to start: single-file and NativeAOT
/// publishes start their own executable again as a worker. Such an app calls <see cref="RunIfWorker"/> on the
/// first line of <c>Main</c>; a framework-dependent app needs nothing (workers start ParallelGen.dll instead).
/// </summary>
public static class ProcessWorker
{
    /// <summary>
    /// If this process was started as a pool worker, runs the worker and exits the process when the pool lets it
    /// go; otherwise returns at once and the app continues as usual.
    /// </summary>
    /// <param name="args">The arguments <c>Main</c> received.</param>
    public static void RunIfWorker(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (Hosting.WorkerArguments.TryParse(args, out Hosting.WorkerArguments? worker))
        {
            Environment.Exit(Hosting.WorkerHost.Run(worker));
        }
    }

    /// <summary>True if this process is a pool worker.</summary>
    public static bool IsWorker => Channels.ChannelScope.WorkerConnection is not null;
}

using System;
using ParallelGen.Hosting;

namespace ParallelGen;

/// <summary>
/// Entry point used only when a <see cref="ProcessPool"/> starts this assembly as a worker
/// (<c>dotnet exec ... ParallelGen.dll --parallelgen-worker ...</c>).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (WorkerArguments.TryParse(args, out WorkerArguments? worker))
        {
            return WorkerHost.Run(worker);
        }

        Console.Error.WriteLine("ParallelGen.dll is a library. It runs on its own only as a worker process started by a ProcessPool.");
        return 2;
    }
}

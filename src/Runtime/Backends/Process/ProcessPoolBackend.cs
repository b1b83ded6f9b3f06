using System;

namespace ParallelGen.Backends.Process;

/// <summary><see cref="PoolBackend.Processes"/>: child processes on this machine.</summary>
internal sealed class ProcessPoolBackend : PoolBackend
{
    private readonly Action<System.Diagnostics.Process>? _launched;

    /// <param name="launched">Told of each worker process started, or null.</param>
    public ProcessPoolBackend(Action<System.Diagnostics.Process>? launched)
    {
        _launched = launched;
    }

    internal override IWorkerBackend Open(ProcessPoolOptions options, IWorkerEvents events) => new ProcessBackend(options, events, _launched);

    public override string ToString() => "child processes";
}

using System;

namespace ParallelGen.Backends.Process;

/// <summary><see cref="PoolBackend.Processes"/>: child processes on this machine.</summary>
internal sealed class ProcessPoolBackend : PoolBackend
{
    private readonly Action<System.Diagnostics.Process>? _launched;
    private readonly bool _sharedMemory;

    /// <param name="launched">Told of each worker process started, or null.</param>
    /// <param name="sharedMemory">Frames travel through shared memory where the platform allows, else on the socket.</param>
    public ProcessPoolBackend(Action<System.Diagnostics.Process>? launched, bool sharedMemory = true)
    {
        _launched = launched;
        _sharedMemory = sharedMemory;
    }

    internal override IWorkerBackend Open(ProcessPoolOptions options, IWorkerEvents events) => new ProcessBackend(options, events, _launched, _sharedMemory);

    public override string ToString() => _sharedMemory ? "child processes" : "child processes over sockets";
}

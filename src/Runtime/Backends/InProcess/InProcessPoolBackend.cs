namespace ParallelGen.Backends.InProcess;

/// <summary><see cref="PoolBackend.InProcess"/>: logical workers on this process's thread pool.</summary>
internal sealed class InProcessPoolBackend : PoolBackend
{
    internal override IWorkerBackend Open(ProcessPoolOptions options, IWorkerEvents events) => new InProcessBackend(options, events);

    public override string ToString() => "in-process";
}

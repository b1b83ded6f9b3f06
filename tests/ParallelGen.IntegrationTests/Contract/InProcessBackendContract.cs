using ParallelGen.Contract;

namespace ParallelGen.IntegrationTests.Contract;

/// <summary>The contract against the in-process backend: the same bytes on this process's thread pool.</summary>
public sealed class InProcessBackendContract : BackendContract
{
    protected override PoolBackend Backend => PoolBackend.InProcess;

    protected override bool IsolatesCrashes => false;

    protected override bool WorkersAreProcesses => false;
}

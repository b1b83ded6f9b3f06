using ParallelGen.Contract;

namespace ParallelGen.IntegrationTests.Contract;

/// <summary>The contract against child processes on this machine, the default backend.</summary>
public sealed class ProcessBackendContract : BackendContract
{
    protected override PoolBackend Backend => PoolBackend.Processes;

    protected override bool IsolatesCrashes => true;

    protected override bool WorkersAreProcesses => true;
}

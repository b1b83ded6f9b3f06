using ParallelGen.Contract;

namespace ParallelGen.IntegrationTests.Contract;

/// <summary>
/// The contract against child processes on this machine, the default backend: frames through shared memory where the
/// platform has it (Linux), else on the socket.
/// </summary>
public sealed class ProcessBackendContract : BackendContract
{
    protected override PoolBackend Backend => PoolBackend.Processes;

    protected override bool IsolatesCrashes => true;

    protected override bool WorkersAreProcesses => true;
}

/// <summary>The same contract with every frame on the worker's Unix socket (<see cref="PoolBackend.ProcessesOverSockets"/>).</summary>
public sealed class ProcessOverSocketsBackendContract : BackendContract
{
    protected override PoolBackend Backend => PoolBackend.ProcessesOverSockets;

    protected override bool IsolatesCrashes => true;

    protected override bool WorkersAreProcesses => true;
}

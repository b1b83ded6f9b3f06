using System;
using Orleans;

namespace ParallelGen.Orleans.Grains;

/// <summary>What a silo offers: its worker count and its message limit.</summary>
[GenerateSerializer]
[Immutable]
[Alias("ParallelGen.SiloDescription")]
internal sealed class SiloDescription
{
    /// <summary>Calls the silo runs at once (its local pool's workers).</summary>
    [Id(0)]
    public int Workers { get; init; }

    /// <summary>The silo's <c>SiloMessagingOptions.MaxMessageBodySize</c>.</summary>
    [Id(1)]
    public int MaxMessageBodySize { get; init; }
}

/// <summary>
/// One call for a silo: the caller's invoke payload as its pool encoded it, plus the assembly that declares the
/// method (loaded on the silo first, so its generated module initializer registers the method). Immutable, so
/// Orleans passes the payload without a deep copy where caller and silo share a process.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("ParallelGen.SiloCall")]
internal sealed class SiloCall
{
    [Id(0)]
    public Guid Caller { get; init; }

    [Id(1)]
    public long CallId { get; init; }

    [Id(2)]
    public string Assembly { get; init; } = "";

    [Id(3)]
    public bool Traced { get; init; }

    [Id(4)]
    public byte[] Payload { get; init; } = Array.Empty<byte>();

    /// <summary>The largest result the caller takes: its pool's MaxMessageBytes, within its Orleans message limit.</summary>
    [Id(5)]
    public int MaxResultBytes { get; init; } = int.MaxValue;
}

/// <summary>How a call ended on a silo.</summary>
[GenerateSerializer]
[Alias("ParallelGen.SiloOutcomeKind")]
internal enum SiloOutcomeKind
{
    /// <summary>The method returned: <see cref="SiloOutcome.Bytes"/> holds the encoded results.</summary>
    Answered,

    /// <summary>The method threw (or the silo refused the call): <see cref="SiloOutcome.Bytes"/> holds a MemoryPack <c>RemoteError</c>.</summary>
    Failed,

    /// <summary>The silo's worker process died running it: <see cref="SiloOutcome.ExitCode"/> says how.</summary>
    Crashed,
}

/// <summary>The answer to a <see cref="SiloCall"/>; immutable for the same reason.</summary>
[GenerateSerializer]
[Immutable]
[Alias("ParallelGen.SiloOutcome")]
internal sealed class SiloOutcome
{
    [Id(0)]
    public SiloOutcomeKind Kind { get; init; }

    [Id(1)]
    public byte[] Bytes { get; init; } = Array.Empty<byte>();

    /// <summary>The silo's worker process that ran the call, when known.</summary>
    [Id(2)]
    public int? ProcessId { get; init; }

    [Id(3)]
    public int? ExitCode { get; init; }
}

using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ParallelGen.Transport;

namespace ParallelGen.Hosting;

/// <summary>
/// The worker's command line: <c>--parallelgen-worker --address &lt;socket&gt; --parent &lt;pid&gt; --index &lt;n&gt;</c>
/// (and <c>--ring &lt;fd:name:capacity&gt;</c> when the parent made shared memory for it).
/// Only identities travel on the command line; the launch token travels in the environment
/// (<see cref="TokenVariable"/>), which other users cannot read, and payloads over the socket.
/// </summary>
internal sealed record WorkerArguments(string Address, int ParentProcessId, int Index, int MaxMessageBytes)
{
    public const string Marker = "--parallelgen-worker";
    public const string TokenVariable = "PARALLELGEN_WORKER_TOKEN";

    /// <summary>
    /// The exit code of a worker copy of the app whose Main skipped <see cref="ProcessWorker.RunIfWorker"/> and opened a
    /// pool (<see cref="UnhookedWorkerGuard"/>). Unusual on purpose: the parent gives the fix, not a generic start failure.
    /// </summary>
    public const int MissingHookExitCode = 193;

    /// <summary>
    /// The shared-memory region the parent made for this worker (<c>RingRegion.Describe</c>), or null: then every frame
    /// travels on the socket.
    /// </summary>
    public string? Ring { get; init; }

    public string[] ToArray() =>
    [
        Marker,
        "--address", Address,
        "--parent", ParentProcessId.ToString(CultureInfo.InvariantCulture),
        "--index", Index.ToString(CultureInfo.InvariantCulture),
        "--max-message", MaxMessageBytes.ToString(CultureInfo.InvariantCulture),
        .. Ring is null ? Array.Empty<string>() : ["--ring", Ring],
    ];

    public static bool IsWorkerCommandLine(string[] args) => Array.IndexOf(args, Marker) >= 0;

    public static bool TryParse(string[] args, [NotNullWhen(true)] out WorkerArguments? parsed)
    {
        parsed = null;
        if (!IsWorkerCommandLine(args))
        {
            return false;
        }

        string? address = null;
        int parent = 0;
        int index = 0;
        int maxMessage = 1024 * 1024 * 1024;
        string? ring = null;
        for (int i = 0; i < args.Length - 1; i++)
        {
            switch (args[i])
            {
                case "--address":
                    address = args[++i];
                    break;
                case "--parent":
                    parent = DecimalDigits.Parse(args[++i], "--parent");
                    break;
                case "--index":
                    index = DecimalDigits.Parse(args[++i], "--index");
                    break;
                case "--max-message":
                    maxMessage = DecimalDigits.Parse(args[++i], "--max-message");
                    break;
                case "--ring":
                    ring = args[++i];
                    break;
            }
        }

        if (address is null)
        {
            return false;
        }

        parsed = new WorkerArguments(address, parent, index, maxMessage) { Ring = ring };
        return true;
    }
}

using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace ParallelGen.Benchmarks;

/// <summary>
/// Runs the .NET peer (samples/Benchmarks.RpcPeer: StreamJsonRpc over Unix sockets to child processes),
/// which the build copies into this program's output folder, with the runner's sizes, and reads its JSON.
/// </summary>
public static class PeerSide
{
    public const string BundledPeer = "rpcpeer/ParallelGen.Benchmarks.RpcPeer.dll";

    public static (SideResults Results, string Table) Run(string peerDll, BenchConfig cfg)
    {
        string json = Path.Combine(Path.GetTempPath(), $"rpcpeer-{Environment.ProcessId}.json");
        var start = new ProcessStartInfo(ChildRun.DotnetHost());
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(peerDll);
        start.ArgumentList.Add("--json");
        start.ArgumentList.Add(json);
        start.ArgumentList.Add("--workers");
        start.ArgumentList.Add(cfg.Workers.ToString(CultureInfo.InvariantCulture));
        if (cfg.Quick)
        {
            start.ArgumentList.Add("--quick");
        }

        string table = ChildRun.Run(start);
        string text = File.ReadAllText(json);
        File.Delete(json);
        return (PoolBenchJson.Parse(".NET peer", text), table.Trim());
    }
}

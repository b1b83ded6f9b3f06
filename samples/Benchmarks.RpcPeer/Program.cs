using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ParallelGen.Benchmarks.RpcPeer;
using StreamJsonRpc;

// The benchmark's .NET peer: pool_bench.py's cases on StreamJsonRpc child processes. See README.md.
//   dotnet run -c Release --project samples/Benchmarks.RpcPeer -- [--quick] [--json FILE]
if (args is ["--child", string childSocket])
{
    await RpcPool.RunChildAsync(childSocket).ConfigureAwait(false);
    return 0;
}

if (PeerOptions.Parse(args) is not { } o)
{
    return 2;
}

string version = typeof(JsonRpc).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?";
var res = new JsonObject
{
    ["peer"] = $"StreamJsonRpc {version} {RpcPool.Formatter}",
    ["conditions"] = new JsonObject
    {
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
        ["platform"] = RuntimeInformation.OSDescription,
        ["cpu_count"] = Environment.ProcessorCount,
        ["transport"] = "Unix domain socket, LengthHeaderMessageHandler",
        ["workers"] = o["workers"],
        ["repeat"] = o["repeat"],
        ["started_utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    },
};

Log("peer: (e) cold start"); // first, as in pool_bench.py
res["cold_start"] = new JsonObject { ["spawn"] = await PeerCases.ColdStartAsync(o).ConfigureAwait(false) };

var pool = new JsonObject();
await using (RpcPool p = await RpcPool.StartAsync(o["workers"]).ConfigureAwait(false))
{
    await PeerCases.ConcurrentCallsAsync(p, o["workers"] * 50, 1).ConfigureAwait(false); // every child has run something
    Log("peer: (a) sequential round trip");
    pool["a_apply_latency"] = await PeerCases.ApplyLatencyAsync(p, o["calls"]).ConfigureAwait(false);
    Log("peer: (b) map in batches");
    pool["b_map_1m_default"] = await PeerCases.MapBatchedAsync(p, o["map-items"], o["workers"], o["repeat"]).ConfigureAwait(false);
    Log("peer: (c) concurrent calls, Task.WhenAll");
    pool["c_map_chunksize1"] = await PeerCases.ConcurrentCallsAsync(p, o["chunk1-items"], o["repeat"]).ConfigureAwait(false);
    Log("peer: (d) payload round trip");
    pool["d_payload_100mb"] = await PeerCases.PayloadAsync(p, o["payload-mb"], o["payload-runs"]).ConfigureAwait(false);
    Log("peer: (f) concurrent calls, completion order");
    pool["f_imap_unordered_10k"] = await PeerCases.CompletionOrderAsync(p, o["imap-items"], o["repeat"]).ConfigureAwait(false);
}

res["pool"] = pool;
PrintTable(res);
if (o.JsonPath is { } path)
{
    File.WriteAllText(path, res.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
}

return 0;

static void PrintTable(JsonObject res)
{
    JsonNode p = res["pool"]!;
    JsonNode e = res["cold_start"]!["spawn"]!;
    JsonNode a = p["a_apply_latency"]!;
    JsonNode d = p["d_payload_100mb"]!;
    string Rate(string key) => string.Create(CultureInfo.InvariantCulture, $"{(int)p[key]!["items"]!:N0} items, {(double)p[key]!["median_items_per_s"]!:N0} items/s");
    (string Case, string Value)[] rows =
    [
        ("(a) round trip, median / p90 / p99", $"{a["median_us"]} / {a["p90_us"]} / {a["p99_us"]} us"),
        ("(b) map in TrivialBatch calls", Rate("b_map_1m_default")),
        ("(c) concurrent calls, WhenAll", Rate("c_map_chunksize1")),
        ($"(d) {d["payload_mb"]} MB echo, payload/round trip", $"{d["roundtrip_mb_per_s"]} MB/s ({d["median_roundtrip_ms"]} ms)"),
        ("(e) start children -> first result", $"{e["pool_first_result_median_ms"]} ms (very first {e["pool_first_result_very_first_ms"]} ms)"),
        ("(f) concurrent calls, completion order", Rate("f_imap_unordered_10k")),
    ];
    Console.WriteLine($"\n{res["peer"]} on {res["conditions"]!["dotnet"]}, workers={res["conditions"]!["workers"]}");
    int width = rows.Max(r => r.Case.Length);
    foreach ((string name, string value) in rows)
    {
        Console.WriteLine($"{name.PadRight(width)}  {value}");
    }
}

static void Log(string message) => Console.Error.WriteLine(message);

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;
using ParallelGen;
using ParallelGen.Orleans;
using Spectre.Console;

// The same ProcessPool verbs on an Orleans cluster: only the line that builds the pool changes.
//
//   dotnet run --project samples/Cluster                     two local silos, a CPU-bound map across them, silos stopped
//   dotnet run --project samples/Cluster -- silo NAME SILO_PORT GATEWAY_PORT PRIMARY_IP:PORT ADVERTISED_IP WORKERS
//   dotnet run --project samples/Cluster -- client GATEWAY_IP:PORT [GATEWAY_IP:PORT ...]
//   dotnet run --project samples/Cluster -c Release -- bench   the figures quoted in docs/cluster.md
//
// See samples/Cluster/README.md for several machines.
if (args.Length > 0 && args[0] == "silo")
{
    await SiloHost.RunAsync(args[1], Int(args[2]), Int(args[3]), IPEndPoint.Parse(args[4]), IPAddress.Parse(args[5]), Int(args[6]));
    return 0;
}

if (args.Length > 0 && args[0] == "bench")
{
    await using var benchSilos = new LocalSilos();
    await benchSilos.StartAsync("silo-A", 11111, 30000, 11111, 1);
    await benchSilos.StartAsync("silo-B", 11112, 30001, 11111, 1);
    await Bench.RunAsync(new IPEndPoint(IPAddress.Loopback, 30000), new IPEndPoint(IPAddress.Loopback, 30001));
    return 0;
}

if (args.Length > 0 && args[0] == "client")
{
    return await RunMapAsync(args.Skip(1).Select(IPEndPoint.Parse).ToArray());
}

int workersPerSilo = Math.Max(1, Environment.ProcessorCount / 2);
Console.WriteLine($"Starting two silos on localhost with {workersPerSilo} worker process(es) each ({Environment.ProcessorCount} logical processors here)...");
await using (var silos = new LocalSilos())
{
    var clock = Stopwatch.StartNew();
    await silos.StartAsync("silo-A", 11111, 30000, 11111, workersPerSilo);
    await silos.StartAsync("silo-B", 11112, 30001, 11111, workersPerSilo);
    Console.WriteLine($"both silos up in {clock.Elapsed.TotalSeconds:F1} s");
    int exitCode = await RunMapAsync(new IPEndPoint(IPAddress.Loopback, 30000), new IPEndPoint(IPAddress.Loopback, 30001));
    Console.WriteLine("stopping the silos...");
    return exitCode;
}

// Connects to the cluster and counts the primes below N in ranges spread over its silos.
static async Task<int> RunMapAsync(params IPEndPoint[] gateways)
{
    using IHost client = Host.CreateDefaultBuilder()
        .ConfigureLogging(logging => logging.ClearProviders())
        .UseOrleansClient(builder => builder.UseStaticClustering(gateways))
        .Build();
    await client.StartAsync();
    var grainFactory = client.Services.GetRequiredService<IClusterClient>();

    // The one line that differs from a local pool:
    using var pool = new ProcessPool(new ProcessPoolOptions { Backend = new OrleansBackend(grainFactory) });

    const long limit = 10_000_000;
    const int rangeCount = 64;
    (long From, long To)[] ranges = Enumerable.Range(0, rangeCount).Select(i => (limit * i / rangeCount, limit * (i + 1) / rangeCount)).ToArray();

    // The pool learns the silos from the cluster's membership within a second; wait for them before timing.
    while (pool.Processes < 2)
    {
        await Task.Delay(100);
    }

    Console.WriteLine($"the pool sees {pool.Processes} workers across the cluster");
    var clock = Stopwatch.StartNew();
    var results = new List<(long Count, string Silo)>();
    await AnsiConsole.Progress()
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
        .StartAsync(async context =>
        {
            ProgressTask bar = context.AddTask($"primes below {limit:N0}", maxValue: rangeCount);
            await foreach ((long Count, string Silo) result in pool.ImapUnorderedAsync(Jobs.Remote.CountPrimes, ranges))
            {
                results.Add(result);
                bar.Increment(1);
            }
        });
    clock.Stop();

    Console.WriteLine($"{results.Sum(r => r.Count):N0} primes below {limit:N0} in {clock.Elapsed.TotalSeconds:F2} s");
    var table = new Table().AddColumn("silo").AddColumn("ranges run");
    foreach (IGrouping<string, (long Count, string Silo)> silo in results.GroupBy(r => r.Silo).OrderBy(g => g.Key))
    {
        table.AddRow(silo.Key, silo.Count().ToString(CultureInfo.InvariantCulture));
    }

    AnsiConsole.Write(table);
    await client.StopAsync();
    return results.Sum(r => r.Count) == 664_579 ? 0 : 1; // π(10^7)
}

static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

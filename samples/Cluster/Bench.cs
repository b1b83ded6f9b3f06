using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;
using ParallelGen;
using ParallelGen.Orleans;

namespace Cluster;

/// <summary>
/// `Cluster bench`: the figures docs/cluster.md quotes. Per-call latency and throughput of tiny calls on two local
/// silos beside a local pool of the same size, and a CPU-bound map on one silo versus two.
/// </summary>
internal static class Bench
{
    public static async Task RunAsync(params IPEndPoint[] gateways)
    {
        using IHost client = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .UseOrleansClient(builder => builder.UseStaticClustering(gateways))
            .Build();
        await client.StartAsync();
        var grains = client.Services.GetRequiredService<IClusterClient>();

        using var local = new ProcessPool(2);
        using var cluster = new ProcessPool(new ProcessPoolOptions { Backend = new OrleansBackend(grains) });
        using var oneSilo = new ProcessPool(new ProcessPoolOptions
        {
            Backend = new OrleansBackend(grains, new OrleansBackendOptions { LimitToPoolProcesses = true }),
            Processes = 1,
        });
        while (cluster.Processes < 2 || oneSilo.Processes < 1)
        {
            await Task.Delay(50);
        }

        foreach ((string name, ProcessPool pool) in new[] { ("local pool, 2 processes", local), ("2 silos x 1 worker", cluster) })
        {
            Latency(name, pool);
            Throughput(name, pool);
        }

        // CPU-bound: the primes below 20 million in 32 ranges, on one silo's worker, then on both silos.
        (long, long)[] ranges = Enumerable.Range(0, 32).Select(i => (20_000_000L * i / 32, 20_000_000L * (i + 1) / 32)).ToArray();
        oneSilo.Map(Jobs.Remote.CountPrimes, ranges.Take(2)); // warm up
        cluster.Map(Jobs.Remote.CountPrimes, ranges.Take(2));
        double one = Time(() => oneSilo.Map(Jobs.Remote.CountPrimes, ranges, chunkSize: 1));
        double two = Time(() => cluster.Map(Jobs.Remote.CountPrimes, ranges, chunkSize: 1));
        Console.WriteLine($"cpu-bound  primes < 20M, 32 ranges: 1 silo {one:F2} s, 2 silos {two:F2} s, speed-up {one / two:F2}x");
        await client.StopAsync();
    }

    private static void Latency(string name, ProcessPool pool)
    {
        for (int i = 0; i < 200; i++)
        {
            pool.Apply(Jobs.Remote.Square, i);
        }

        double[] micros = new double[2000];
        for (int i = 0; i < micros.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            pool.Apply(Jobs.Remote.Square, i);
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(micros);
        Console.WriteLine($"{name,-24} latency  one Apply at a time: median {micros[micros.Length / 2]:F0} us, p99 {micros[micros.Length * 99 / 100]:F0} us");
    }

    private static void Throughput(string name, ProcessPool pool)
    {
        int[] items = Enumerable.Range(0, 20_000).ToArray();
        pool.Map(Jobs.Remote.Square, items.Take(1000), chunkSize: 1);
        double seconds = Time(() => pool.Map(Jobs.Remote.Square, items, chunkSize: 1));
        Console.WriteLine($"{name,-24} throughput  Map of 20,000 one-item chunks: {items.Length / seconds:F0} calls/s");
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }
}

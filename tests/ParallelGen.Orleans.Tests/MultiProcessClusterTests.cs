using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using Orleans;
using Orleans.Hosting;
using ParallelGen.Orleans.TestSilo;
using Shouldly;

namespace ParallelGen.Orleans.Tests;

/// <summary>
/// Two real silo processes on localhost and this process as an Orleans client: calls spread over both silos, and
/// a silo killed with SIGKILL in the middle of a map costs nothing but time when MaxRetries allows a rerun.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class MultiProcessClusterTests
{
    private SiloProcess? _primary;
    private SiloProcess? _secondary;
    private IHost? _client;
    private string _markers = "";

    [OneTimeSetUp]
    public async Task StartClusterAsync()
    {
        int[] ports = SiloProcess.FreePorts(4);
        _primary = await SiloProcess.StartAsync("A", ports[0], ports[1], ports[0], workers: 1);
        _secondary = await SiloProcess.StartAsync("B", ports[2], ports[3], ports[0], workers: 1);

        // The client talks to the primary's gateway only: killing the secondary never cuts the client off.
        _client = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .UseOrleansClient(client => client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, _primary.GatewayPort)))
            .Build();
        await _client.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopClusterAsync()
    {
        if (_client is not null)
        {
            await _client.StopAsync();
            _client.Dispose();
        }

        _secondary?.Dispose();
        _primary?.Dispose();
    }

    [SetUp]
    public void NewMarkerDirectory()
    {
        _markers = Path.Combine(Path.GetTempPath(), "parallelgen-cluster-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_markers);
    }

    [TearDown]
    public void RemoveMarkerDirectory() => Directory.Delete(_markers, recursive: true);

    [Test]
    [Order(1)]
    public void Map_SpreadsOverBothSilos_InInputOrder()
    {
        using ProcessPool pool = NewPool(maxRetries: 0);
        WaitForWorkers(pool, 2);

        (int Square, string Silo)[] results = pool.Map(ClusterJobs.Remote.Square, Enumerable.Range(0, 24).Select(x => (x, "", 50)), chunkSize: 1);

        results.Select(r => r.Square).ShouldBe(Enumerable.Range(0, 24).Select(x => x * x));
        results.Count(r => r.Silo == "A").ShouldBeGreaterThan(0);
        results.Count(r => r.Silo == "B").ShouldBeGreaterThan(0);
    }

    [Test]
    [Order(2)]
    public async Task SiloKilledMidMap_WithMaxRetries_MapCompletesInOrder()
    {
        using ProcessPool pool = NewPool(maxRetries: 1);
        WaitForWorkers(pool, 2);

        AsyncResult<(int Square, string Silo)[]> map = pool.MapAsync(ClusterJobs.Remote.Square, Enumerable.Range(0, 20).Select(x => (x, _markers, 300)), chunkSize: 1);

        // A marker from B means B holds a call right now (each call works 300 ms after leaving its marker).
        SpinWait.SpinUntil(() => Directory.EnumerateFiles(_markers, "B-*").Any(), TimeSpan.FromSeconds(60)).ShouldBeTrue("silo B never started a call");
        _secondary!.Kill();

        (int Square, string Silo)[] results = await map.AsTask().WaitAsync(TimeSpan.FromSeconds(90));

        results.Select(r => r.Square).ShouldBe(Enumerable.Range(0, 20).Select(x => x * x));
        int[] startedOnB = Directory.EnumerateFiles(_markers, "B-*").Select(f => int.Parse(Path.GetFileName(f)[2..], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        int[] answeredByB = results.Select((r, i) => (r, i)).Where(p => p.r.Silo == "B").Select(p => p.i).ToArray();
        // At least one call started on B never came back from B: it was run again on A.
        startedOnB.Except(answeredByB).ShouldNotBeEmpty();
        foreach (int rerun in startedOnB.Except(answeredByB))
        {
            results[rerun].Silo.ShouldBe("A");
        }

        pool.Processes.ShouldBe(1); // only A is left in the membership
    }

    private ProcessPool NewPool(int maxRetries) => new(new ProcessPoolOptions
    {
        Backend = new OrleansBackend(_client!.Services.GetRequiredService<IClusterClient>()),
        MaxRetries = maxRetries,
        Processes = 1, // what Processes reads until the cluster is known: below the 2 workers waited for

    });

    /// <summary>The pool learns the silos from the membership at its first refresh; waits for that.</summary>
    private static void WaitForWorkers(ProcessPool pool, int workers) =>
        SpinWait.SpinUntil(() => pool.Processes >= workers, TimeSpan.FromSeconds(30)).ShouldBeTrue($"the pool saw {pool.Processes} workers, not {workers}");
}

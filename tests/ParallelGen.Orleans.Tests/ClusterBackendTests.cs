using System;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using ParallelGen.Contract;
using ParallelGen.Orleans.Grains;
using ParallelGen.Orleans.Silo;
using Shouldly;

namespace ParallelGen.Orleans.Tests;

/// <summary>What only the cluster backend does: the live total, its message limit, a silo of another build, refused options.</summary>
[TestFixture]
public sealed class ClusterBackendTests
{
    [Test]
    public void Processes_IsTheClustersLiveTotal_NotThePoolsOption()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Backend = new OrleansBackend(TestCluster.Cluster.Client), Processes = 7 });
        SpinWait.SpinUntil(() => pool.Processes == 2, TimeSpan.FromSeconds(30)).ShouldBeTrue($"two silos of one worker each, not {pool.Processes}");
        pool.Apply(ContractJobs.Remote.Square, 12).ShouldBe(144);
    }

    [Test]
    public void AMapAndAnImap_RightAfterThePoolStarts_RunBeforeTheClusterIsKnown()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Backend = new OrleansBackend(TestCluster.Cluster.Client) });

        pool.Map(ContractJobs.Remote.Square, new[] { 1, 2, 3 }).ShouldBe(new[] { 1, 4, 9 });
        pool.Imap(ContractJobs.Remote.Square, new[] { 4, 5 }).ShouldBe(new[] { 16, 25 });
    }

    [Test]
    public void AnArgumentOverTheMessageLimit_FailsAtOnce_NamingTheOptionToRaise()
    {
        var backend = new OrleansBackend(TestCluster.Cluster.Client, new OrleansBackendOptions { MaxMessageBodySize = 64 * 1024 });
        using var pool = new ProcessPool(new ProcessPoolOptions { Backend = backend });

        ArgumentException error = Should.Throw<ArgumentException>(() => pool.ApplyAsync(ContractJobs.Remote.Echo, new string('x', 100_000)));

        error.Message.ShouldContain("MaxMessageBodySize");
        pool.Apply(ContractJobs.Remote.Echo, "small").ShouldBe("small");
    }

    [Test]
    public async Task ASiloWithoutTheMethod_SaysTheBuildsDiffer()
    {
        string silo = TestCluster.Cluster.Silos[0].SiloAddress.ToParsableString();
        IWorkerSiloGrain grain = TestCluster.Cluster.Client.GetGrain<IWorkerSiloGrain>(silo);
        byte[] payload = new byte[12];
        BitConverter.TryWriteBytes(payload, 0x0123456789ABCDEFUL).ShouldBeTrue();

        SiloOutcome outcome = await grain.Invoke(new SiloCall { Caller = Guid.NewGuid(), CallId = 1, Assembly = typeof(ContractJobs).Assembly.FullName!, Payload = payload });

        outcome.Kind.ShouldBe(SiloOutcomeKind.Failed);
        RemoteException error = RemoteErrors.Decode(outcome.Bytes).ToException(null);
        error.RemoteType.ShouldBe(typeof(InvalidOperationException).FullName);
        error.Message.ShouldContain("0x0123456789ABCDEF");
        error.Message.ShouldContain("different builds");
    }

    [Test]
    public void AnInitializer_IsRefusedWhenThePoolStarts()
    {
        var options = new ProcessPoolOptions
        {
            Backend = new OrleansBackend(TestCluster.Cluster.Client),
            Initializer = ProcessInitializer.Create(ContractJobs.Remote.Initialize, "x"),
        };

        Should.Throw<ArgumentException>(() => new ProcessPool(options)).Message.ShouldContain("Initializer");
    }
}

using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NUnit.Framework;
using Orleans;
using ParallelGen.Contract;
using Shouldly;

namespace ParallelGen.Orleans.Tests;

/// <summary>services.AddProcessPool: a singleton pool of the generic host, bound from configuration, disposed with it.</summary>
[TestFixture]
public sealed class HostingTests
{
    [Test]
    public void AddProcessPool_BindsFromConfiguration_AndIsDisposedWithTheHost()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ProcessPool:Processes"] = "1", ["ProcessPool:MaxRetries"] = "2" });
        builder.Services.Configure<ProcessPoolOptions>(builder.Configuration.GetSection("ProcessPool")).AddProcessPool();
        IHost host = builder.Build();

        ProcessPool pool = host.Services.GetRequiredService<ProcessPool>();
        pool.Options.Processes.ShouldBe(1);
        pool.Options.MaxRetries.ShouldBe(2);
        pool.Apply(ContractJobs.Remote.Square, 8).ShouldBe(64);
        host.Services.GetRequiredService<ProcessPool>().ShouldBeSameAs(pool);

        host.Dispose();
        Should.Throw<ObjectDisposedException>(() => pool.Apply(ContractJobs.Remote.Square, 1));
    }

    [Test]
    public void AddOrleansProcessPool_TakesItsBackendFromTheHostsGrainFactory()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IGrainFactory>(TestCluster.Cluster.Client);
        services.Configure<ProcessPoolOptions>(_ => { }).AddOrleansProcessPool();
        using ServiceProvider provider = services.BuildServiceProvider();

        ProcessPool pool = provider.GetRequiredService<ProcessPool>();

        pool.Options.Backend.ShouldBeOfType<OrleansBackend>();
        pool.Apply(ContractJobs.Remote.Square, 11).ShouldBe(121);
        SpinWait.SpinUntil(() => pool.Processes == 2, TimeSpan.FromSeconds(30)).ShouldBeTrue("the pool sees both silos of the test cluster");
    }
}

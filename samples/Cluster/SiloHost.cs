using System;
using System.Net;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using ParallelGen.Orleans;

namespace Cluster;

/// <summary>`Cluster silo ...`: one silo hosting ParallelGen workers, until SIGTERM/Ctrl+C or standard input closes.</summary>
internal static class SiloHost
{
    /// <param name="name">Shown in the results: which silo ran a range.</param>
    /// <param name="siloPort">The silo-to-silo port.</param>
    /// <param name="gatewayPort">The port clients connect to.</param>
    /// <param name="primary">The primary silo's endpoint (development clustering: every silo names the same one).</param>
    /// <param name="advertised">The address other machines reach this silo at (loopback on one machine).</param>
    /// <param name="workers">Worker processes of this silo.</param>
    public static async Task RunAsync(string name, int siloPort, int gatewayPort, IPEndPoint primary, IPAddress advertised, int workers)
    {
        Environment.SetEnvironmentVariable(Jobs.SiloVariable, name); // inherited by the silo's worker processes
        using IHost host = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning))
            .UseOrleans(silo =>
            {
                if (IPAddress.IsLoopback(advertised))
                {
                    silo.UseLocalhostClustering(siloPort, gatewayPort, primary);
                }
                else
                {
                    // Several machines without a membership database: fine for trying it out; see docs/cluster.md
                    // for Redis, PostgreSQL or Kubernetes membership in production.
                    silo.UseDevelopmentClustering(primary).ConfigureEndpoints(advertised, siloPort, gatewayPort, listenOnAnyHostAddress: true);
                }

                silo.AddParallelGenWorkers(options => options.Processes = workers);
            })
            .Build();
        await host.StartAsync().ConfigureAwait(false);
        Console.WriteLine("ready");
        IHostApplicationLifetime lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        Task stdinClosed = Task.Run(() => Console.In.ReadToEnd());
        await Task.WhenAny(stdinClosed, Task.Delay(-1, lifetime.ApplicationStopping)).ConfigureAwait(false);
        await host.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }
}

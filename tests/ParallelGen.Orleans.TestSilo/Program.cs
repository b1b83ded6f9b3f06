using System;
using System.Net;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using ParallelGen.Orleans;
using ParallelGen.Orleans.TestSilo;

// Usage: ParallelGen.Orleans.TestSilo <name> <siloPort> <gatewayPort> <primarySiloPort> <workers>
// Prints "ready" once the silo has joined the cluster; stops on SIGTERM or when standard input closes.
string name = args[0];
int siloPort = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
int gatewayPort = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
int primaryPort = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
int workers = int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture);
Environment.SetEnvironmentVariable(ClusterJobs.SiloNameVariable, name); // inherited by the silo's worker processes

using IHost host = Host.CreateDefaultBuilder()
    .ConfigureLogging(logging => logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning))
    .UseOrleans(silo => silo
        .UseLocalhostClustering(siloPort, gatewayPort, new IPEndPoint(IPAddress.Loopback, primaryPort))
        .AddParallelGenWorkers(options => options.Processes = workers))
    .Build();
await host.StartAsync().ConfigureAwait(false);
Console.WriteLine("ready");
IHostApplicationLifetime lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
Task stdinClosed = Task.Run(() => Console.In.ReadToEnd());
await Task.WhenAny(stdinClosed, Task.Delay(-1, lifetime.ApplicationStopping)).ConfigureAwait(false);
await host.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);

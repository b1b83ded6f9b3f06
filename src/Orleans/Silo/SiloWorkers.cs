using System;
using System.Collections.Concurrent;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using ParallelGen.Generated;
using ParallelGen.Orleans.Grains;

namespace ParallelGen.Orleans.Silo;

/// <summary>
/// One silo's workers: a local <see cref="ProcessPool"/> (child processes by default, so a crashing call takes down
/// one worker process, never the silo) that runs the calls callers send to this silo's grain. A DI singleton of the
/// silo, disposed with it; never static, so silos sharing a process (test clusters) keep separate workers.
/// </summary>
internal sealed class SiloWorkers : IDisposable
{
    private readonly ParallelGenWorkerOptions _options;
    private readonly ILocalSiloDetails _silo;
    private readonly int _maxMessageBodySize;
    private readonly ILogger _logger;
    private readonly Lazy<ProcessPool> _pool;
    private readonly ConcurrentDictionary<(Guid Caller, long CallId), CancellationTokenSource> _running = new();
    private readonly ConcurrentDictionary<string, string?> _assemblies = new();

    public SiloWorkers(IOptions<ParallelGenWorkerOptions> options, IOptions<SiloMessagingOptions> messaging, ILocalSiloDetails silo, ILogger<SiloWorkers> logger)
    {
        _options = options.Value;
        _silo = silo;
        _logger = logger;
        _maxMessageBodySize = messaging.Value.MaxMessageBodySize;
        _pool = new Lazy<ProcessPool>(
            () => new ProcessPool(new ProcessPoolOptions
            {
                Processes = _options.Processes,
                InProcess = _options.InProcess,
                MaxTasksPerChild = _options.MaxTasksPerChild,
                MaxWorkerMemory = _options.MaxWorkerMemory,
                Logger = _options.Logger ?? _logger,
                // The caller decides retries (its MaxRetries), on whichever silo is alive: never retry here too.
                MaxRetries = 0,
            }),
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public SiloDescription Describe() => new() { Workers = _pool.Value.Processes, MaxMessageBodySize = _maxMessageBodySize };

    public async Task<SiloOutcome> RunAsync(SiloCall call)
    {
        if (FindMethod(call) is not RemoteMethod method)
        {
            return Refused(new InvalidOperationException(
                $"Silo {_silo.SiloAddress} has no [ProcessParallel] method with id 0x{MethodIdOf(call):X16}: the caller and the silo run different builds of the application (deploy the same build to every silo).{LoadFailure(call)}"));
        }

        using var cancellation = new CancellationTokenSource();
        var key = (call.Caller, call.CallId);
        _running[key] = cancellation;
        try
        {
            byte[] results = await _pool.Value.RunEncodedAsync(method, call.Traced, call.Payload, cancellation.Token).ConfigureAwait(false);
            if (results.Length > call.MaxResultBytes)
            {
                return Refused(new InvalidOperationException(
                    $"The result of {method.Signature} encodes to {results.Length} bytes, more than the pool's MaxMessageBytes ({call.MaxResultBytes}, or the caller's MaxMessageBodySize less {MessageOverhead} bytes)."));
            }

            if (results.Length > _maxMessageBodySize - MessageOverhead)
            {
                return Refused(new InvalidOperationException(
                    $"The result of {method.Signature} encodes to {results.Length} bytes, more than silo {_silo.SiloAddress} can send (MaxMessageBodySize {_maxMessageBodySize}, less {MessageOverhead} bytes): raise MaxMessageBodySize on SiloMessagingOptions and ClientMessagingOptions."));
            }

            return new SiloOutcome { Kind = SiloOutcomeKind.Answered, Bytes = results };
        }
        catch (WorkerCrashedException crash)
        {
            return new SiloOutcome { Kind = SiloOutcomeKind.Crashed, ProcessId = crash.ProcessId, ExitCode = crash.ExitCode };
        }
        catch (Exception exception)
        {
            return new SiloOutcome { Kind = SiloOutcomeKind.Failed, Bytes = RemoteErrors.Encode(exception), ProcessId = (exception as RemoteException)?.WorkerProcessId };
        }
        finally
        {
            _running.TryRemove(key, out _);
        }
    }

    public void Cancel(Guid caller, long callId)
    {
        if (_running.TryGetValue((caller, callId), out CancellationTokenSource? cancellation))
        {
            try
            {
                cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It finished meanwhile.
            }
        }
    }

    public void Dispose()
    {
        if (_pool.IsValueCreated)
        {
            _pool.Value.Dispose();
        }
    }

    /// <summary>Room kept in every message for Orleans' own header and our fields beside the payload.</summary>
    internal const int MessageOverhead = 4096;

    private static ulong MethodIdOf(SiloCall call) =>
        call.Payload.Length >= 8 ? BitConverter.ToUInt64(call.Payload, 0) : 0;

    private static SiloOutcome Refused(Exception error) =>
        new() { Kind = SiloOutcomeKind.Failed, Bytes = RemoteErrors.Encode(error) };

    private RemoteMethod? FindMethod(SiloCall call)
    {
        // Loading the declaring assembly runs its generated module initializer, which registers its methods.
        _assemblies.GetOrAdd(call.Assembly, static name =>
        {
            try
            {
                Assembly assembly = Assembly.Load(new AssemblyName(name));
                RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
                return null;
            }
            catch (Exception exception) when (exception is FileNotFoundException or FileLoadException or BadImageFormatException or TypeInitializationException or ArgumentException)
            {
                return exception.Message;
            }
        });
        return DispatchRegistry.TryGet(MethodIdOf(call), out RemoteMethod method) ? method : null;
    }

    private string LoadFailure(SiloCall call) =>
        _assemblies.TryGetValue(call.Assembly, out string? failure) && failure is not null ? $" Loading {call.Assembly} failed: {failure}" : "";
}

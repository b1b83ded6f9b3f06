using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Orleans;
using Orleans.Runtime;
using ParallelGen.Backends;
using ParallelGen.Orleans.Grains;
using ParallelGen.Orleans.Silo;

namespace ParallelGen.Orleans.Caller;

/// <summary>
/// A pool's view of the cluster: the live silos (read from the management grain every refresh), each offering as
/// many <see cref="SiloSlot"/>s as it has workers. The scheduler drives slots like any workers, so calls spread over
/// silos in proportion to their workers and never more are in flight on a silo than it can run. A silo that leaves
/// the membership has its slots reported lost at the next refresh (the scheduler fails or retries their calls);
/// Orleans alone would leave those calls pending until its response timeout.
/// </summary>
internal sealed class ClusterBackend : IWorkerBackend
{
    private static readonly TimeSpan s_describeTimeout = TimeSpan.FromSeconds(10);

    private readonly object _lock = new();
    private readonly IGrainFactory _grains;
    private readonly IWorkerEvents _events;
    private readonly TimeSpan _refreshInterval;
    private readonly TimeSpan _startTimeout;
    private readonly int _callerMessageLimit;
    private readonly int _maxResultBytes;
    private readonly int _limit;
    private readonly int _requested;
    private readonly Guid _caller = Guid.NewGuid();
    private readonly Dictionary<SiloAddress, SiloEntry> _silos = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly long _openedAt = Environment.TickCount64;
    private int _pendingStarts;
    private int _liveSlots;
    private bool _terminated;

    /// <summary>The cluster offered workers once (or never will): until then, a Join waits for the first ones to come and go.</summary>
    private bool _settled;

    public ClusterBackend(IGrainFactory grains, OrleansBackendOptions backendOptions, int callerMessageLimit, ProcessPoolOptions options, IWorkerEvents events)
    {
        _grains = grains;
        _refreshInterval = backendOptions.RefreshInterval;
        _startTimeout = backendOptions.StartTimeout;
        _limit = backendOptions.LimitToPoolProcesses ? options.Processes : int.MaxValue;
        _requested = options.Processes;
        _callerMessageLimit = callerMessageLimit;
        _maxResultBytes = Math.Min(options.MaxMessageBytes, callerMessageLimit - SiloWorkers.MessageOverhead);
        _events = events;
        _ = Task.Run(WatchAsync);
    }

    /// <summary>
    /// The workers of every live silo. Before the cluster is first read it is the pool's own Processes, and it is
    /// never below 1: map chunking and Imap's look-ahead divide by it.
    /// </summary>
    public int Processes
    {
        get
        {
            lock (_lock)
            {
                return _settled ? Math.Max(1, Math.Min(_limit, _silos.Values.Sum(silo => silo.Workers))) : _requested;
            }
        }
    }

    public string? RejectPayload(int length)
    {
        int limit;
        lock (_lock)
        {
            limit = _silos.Values.Select(silo => silo.MaxMessageBodySize).Append(_callerMessageLimit).Min();
        }

        return length > limit - SiloWorkers.MessageOverhead
            ? $"more than an Orleans message can carry here (MaxMessageBodySize {limit}, less {SiloWorkers.MessageOverhead} bytes of overhead). " +
              "Raise MaxMessageBodySize on ClientMessagingOptions (the caller) and SiloMessagingOptions (every silo), or send smaller chunks."
            : null;
    }

    public void StartWorker()
    {
        lock (_lock)
        {
            _pendingStarts++;
        }

        Fill(growth: false);
    }

    public void Terminate()
    {
        List<SiloSlot> slots;
        lock (_lock)
        {
            _terminated = true;
            _settled = true;
            slots = _silos.Values.SelectMany(silo => silo.Slots).ToList();
            _silos.Clear();
            _liveSlots = 0;
            Monitor.PulseAll(_lock);
        }

        _stop.Cancel();
        foreach (SiloSlot slot in slots)
        {
            slot.Abandon();
        }
    }

    public bool Join(TimeSpan timeout)
    {
        long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_lock)
        {
            while (_liveSlots > 0 || !_settled)
            {
                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0 || !Monitor.Wait(_lock, (int)Math.Min(remaining, int.MaxValue)))
                {
                    return _liveSlots == 0 && _settled;
                }
            }
        }

        _stop.Cancel(); // closed and drained: stop watching the cluster
        return true;
    }

    public void Dispose() => _stop.Cancel();

    /// <summary>Reads the live silos every refresh until the pool is terminated or drained.</summary>
    private async Task WatchAsync()
    {
        IManagementGrain management = _grains.GetGrain<IManagementGrain>(0);
        using var timer = new PeriodicTimer(_refreshInterval);
        try
        {
            do
            {
                try
                {
                    Dictionary<SiloAddress, SiloStatus> hosts = await management.GetHosts(onlyActive: true).WaitAsync(s_describeTimeout, _stop.Token).ConfigureAwait(false);
                    await UpdateAsync(hosts.Keys).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !_stop.IsCancellationRequested)
                {
                    // The cluster cannot be reached right now (the client reconnects on its own): keep the silos
                    // we know, whose calls still finish or fail on their own, and try again next refresh.
                }

                FailStartsIfNoWorkers();
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Terminated or drained.
        }
    }

    private async Task UpdateAsync(ICollection<SiloAddress> active)
    {
        var left = new List<(SiloAddress Silo, List<SiloSlot> Slots)>();
        List<SiloAddress> joined;
        lock (_lock)
        {
            foreach (SiloEntry silo in _silos.Values.Where(silo => !active.Contains(silo.Address)).ToList())
            {
                _silos.Remove(silo.Address);
                left.Add((silo.Address, silo.Slots.ToList()));
            }

            joined = active.Where(address => !_silos.ContainsKey(address)).ToList();
        }

        foreach ((SiloAddress silo, List<SiloSlot> slots) in left)
        {
            foreach (SiloSlot slot in slots)
            {
                slot.Lose(new WorkerExit(null, new SiloUnavailableException($"Silo {silo} left the cluster while holding the call.")));
            }
        }

        if (joined.Count == 0)
        {
            Fill(growth: false);
            return;
        }

        SiloEntry?[] described = await Task.WhenAll(joined.Select(DescribeAsync)).ConfigureAwait(false);
        lock (_lock)
        {
            foreach (SiloEntry silo in described.OfType<SiloEntry>())
            {
                if (!_terminated)
                {
                    _silos.TryAdd(silo.Address, silo);
                }
            }
        }

        Fill(growth: true);
    }

    /// <summary>Asks a silo for its workers; null for one without ParallelGen workers, or not ready yet (asked again next time).</summary>
    private async Task<SiloEntry?> DescribeAsync(SiloAddress address)
    {
        IWorkerSiloGrain grain = _grains.GetGrain<IWorkerSiloGrain>(address.ToParsableString());
        try
        {
            SiloDescription description = await grain.Describe().WaitAsync(s_describeTimeout, _stop.Token).ConfigureAwait(false);
            return new SiloEntry(address, grain, description.Workers, description.MaxMessageBodySize);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !_stop.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// Creates slots on silos with free workers: for the starts the scheduler asked for, and with
    /// <paramref name="growth"/> (a silo joined) for all free workers, so the pool grows with the cluster.
    /// Slots go to the silo with the most free workers first, so a pool smaller than the cluster spreads evenly.
    /// </summary>
    private void Fill(bool growth)
    {
        var ready = new List<SiloSlot>();
        lock (_lock)
        {
            while (!_terminated && (growth || _pendingStarts > 0) && _liveSlots < _limit)
            {
                SiloEntry? roomiest = _silos.Values.Where(silo => silo.Free > 0).MaxBy(silo => silo.Free);
                if (roomiest is null)
                {
                    break;
                }

                SiloEntry entry = roomiest;
                var slot = new SiloSlot(entry.Address, entry.Grain, _caller, _maxResultBytes, _events, Forget);
                entry.Slots.Add(slot);
                _liveSlots++;
                _settled = true;
                _pendingStarts = Math.Max(0, _pendingStarts - 1);
                ready.Add(slot);
            }
        }

        foreach (SiloSlot slot in ready)
        {
            _events.OnReady(slot);
        }
    }

    /// <summary>No silo offered a worker within the start timeout: the scheduler fails queued work instead of waiting forever.</summary>
    private void FailStartsIfNoWorkers()
    {
        int failed;
        lock (_lock)
        {
            if (_terminated || _pendingStarts == 0 || _liveSlots > 0 || Environment.TickCount64 - _openedAt < _startTimeout.TotalMilliseconds)
            {
                return;
            }

            failed = _pendingStarts;
            _pendingStarts = 0;
            _settled = true;
            Monitor.PulseAll(_lock);
        }

        for (int i = 0; i < failed; i++)
        {
            _events.OnStartFailed(
                new WorkerStartException(
                    $"No silo of the Orleans cluster offered ParallelGen workers within {_startTimeout.TotalSeconds:0} s: call siloBuilder.AddParallelGenWorkers(...) on the silos, and check that the client is connected to the cluster."),
                mayRetry: false);
        }
    }

    private void Forget(SiloSlot slot)
    {
        lock (_lock)
        {
            foreach (SiloEntry silo in _silos.Values)
            {
                if (silo.Slots.Remove(slot))
                {
                    break;
                }
            }

            _liveSlots = Math.Max(0, _liveSlots - 1);
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>A live silo: its grain, its workers and the slots this pool holds on it.</summary>
    private sealed class SiloEntry(SiloAddress address, IWorkerSiloGrain grain, int workers, int maxMessageBodySize)
    {
        public SiloAddress Address { get; } = address;

        public IWorkerSiloGrain Grain { get; } = grain;

        public int Workers { get; } = workers;

        public int MaxMessageBodySize { get; } = maxMessageBodySize;

        public List<SiloSlot> Slots { get; } = new();

        public int Free => Workers - Slots.Count;
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ParallelGen.Channels;
using ParallelGen.Serialization;
using ParallelGen.Telemetry;
using ParallelGen.Transport;
using ParallelGen.Transport.SharedMemory;

namespace ParallelGen.Backends.Process;

/// <summary>
/// One child worker process and its connection: sends calls and control frames on it, and knows how to make the
/// process go. Which calls it holds is the scheduler's business; this class only moves bytes.
/// </summary>
internal sealed class ChildWorker : IWorker, IChannelProducer
{
    /// <summary>Calls up to this size (header included) are copied into one buffer and sent together.</summary>
    private const int GatherFrameBytes = 16 * 1024;
    private const int RetainedGatherBytes = 256 * 1024;

    private readonly HashSet<Assembly> _loadedAssemblies = new();
    private PayloadBuffer _gather = new(4096);
    private Socket? _socket;
    private FrameSender? _sender;
    private RingRegion? _region;
    private bool _dead;
    private int _callsInFlight;

    public ChildWorker(long key, byte[] token, string commandLine, RingRegion? region)
    {
        Key = key;
        Token = token;
        CommandLine = commandLine;
        _region = region;
    }

    /// <summary>The slot key the worker names in its Hello.</summary>
    public long Key { get; }

    /// <summary>The launch token the worker must present.</summary>
    public byte[] Token { get; }

    public string CommandLine { get; }

    public System.Diagnostics.Process? Process { get; set; }

    public int? ProcessId { get; private set; }

    public FrameReader? Reader { get; private set; }

    public bool IsConnected => _sender is not null;

    /// <summary>The shared memory made for this worker, until it is released; null where there is none.</summary>
    public RingRegion? Region => Volatile.Read(ref _region);

    /// <summary>True when frames travel through shared memory rather than on the socket.</summary>
    public bool UsesSharedMemory { get; private set; }

    /// <summary>
    /// Takes the worker's connection once its Hello is accepted. If the worker mapped the shared memory made for it,
    /// every frame from now on travels through its rings and the socket only tells when the worker is gone;
    /// otherwise (it could not map it) the socket carries everything.
    /// </summary>
    public void Attach(Socket socket, int processId, int maxMessageBytes)
    {
        _socket = socket;
        ProcessId = processId;
        IByteLink link = new SocketLink(socket);
        if (_region is { } region)
        {
            region.CloseDescriptor(); // the worker has it mapped (or never will): no later process can open it
            if (region.IsWorkerAttached)
            {
                // The answers' reader spins briefly only while calls are out: an idle pool sleeps in the kernel.
                region.ToParent.ConsumerMaySpin = () => Volatile.Read(ref _callsInFlight) > 0;
                link = new RingLink(region.ToParent, region.ToWorker);
                UsesSharedMemory = true;
                _ = WatchForEndAsync(socket, region);
            }
            else
            {
                ReleaseRegion();
            }
        }

        Reader = new FrameReader(link, FrameHeader.MaxLengthFor(maxMessageBytes));
        _sender = new FrameSender(link);
    }

    /// <summary>What sends hold (the sender's lock once connected); marking the worker dead takes it too.</summary>
    private object SendGate => (object?)_sender?.SyncRoot ?? _loadedAssemblies;

    /// <summary>An answer (result, error, or withdrawal) to one of the calls sent arrived.</summary>
    public void Answered() => Interlocked.Decrement(ref _callsInFlight);

    /// <summary>
    /// Nothing but the end travels on the socket while the rings carry the frames: when the worker exits, however it
    /// exits, the kernel closes its end, and the rings are closed so this side's reader and writers stop waiting.
    /// </summary>
    private static async Task WatchForEndAsync(Socket socket, RingRegion region)
    {
        try
        {
            await socket.ReceiveAsync(new byte[1], SocketFlags.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Reset or closed here: the end all the same.
        }

        region.Close();
    }

    /// <summary>Closes and unmaps the shared memory once nothing of this process uses it any more.</summary>
    public void ReleaseRegion()
    {
        lock (SendGate)
        {
            _dead = true;
            if (_region is { } region)
            {
                _region = null;
                region.Close();
                region.Dispose();
            }
        }
    }

    public bool TrySend(long callId, EncodedCall call) => TrySend([(callId, call)]) == 1;

    /// <summary>
    /// Sends calls in order. Small frames are gathered into one buffer and leave in one <c>send</c>; a large one
    /// leaves from its own buffer (its header is written into the call's headroom), so it is never copied.
    /// </summary>
    public int TrySend(ReadOnlySpan<(long CallId, EncodedCall Call)> calls)
    {
        FrameSender sender = _sender!;
        lock (sender.SyncRoot)
        {
            if (_dead)
            {
                return 0;
            }

            int delivered = 0;
            int gathered = 0;
            try
            {
                for (int i = 0; i < calls.Length; i++)
                {
                    EncodedCall call = calls[i].Call;
                    Assembly assembly = call.Method.Info.DeclaringType.Assembly;
                    if (_loadedAssemblies.Add(assembly))
                    {
                        byte[] name = Encoding.UTF8.GetBytes(assembly.FullName!);
                        FrameHeader.Write(_gather.GetSpan(FrameHeader.Size), name.Length, FrameKind.LoadAssembly, 0);
                        _gather.Advance(FrameHeader.Size);
                        _gather.Write(name);
                    }

                    Span<byte> frame = call.WithHeadroom[(EncodedCall.Headroom - FrameHeader.Size)..];
                    Interlocked.Increment(ref _callsInFlight);
                    FrameHeader.Write(frame, frame.Length - FrameHeader.Size, call.IsTraced ? FrameKind.InvokeTraced : FrameKind.Invoke, calls[i].CallId);
                    PoolMetrics.BytesSent.Add(frame.Length);
                    if (frame.Length <= GatherFrameBytes)
                    {
                        _gather.Write(frame);
                        gathered++;
                        continue;
                    }

                    delivered += Flush(sender, gathered);
                    gathered = 0;
                    sender.SendFrame(frame);
                    delivered++;
                }

                delivered += Flush(sender, gathered);
                return delivered;
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                _gather.Clear();
                _dead = true;
                return delivered;
            }
        }
    }

    /// <summary>Sends the gathered frames (under the sender's lock); returns how many calls they carried.</summary>
    private int Flush(FrameSender sender, int gatheredCalls)
    {
        if (_gather.WrittenCount > 0)
        {
            sender.SendFrame(_gather.WrittenSpan);
            _gather.Clear();
            if (_gather.Capacity > RetainedGatherBytes)
            {
                _gather.Dispose();
                _gather = new PayloadBuffer(4096);
            }
        }

        return gatheredCalls;
    }

    /// <summary>Has the worker load these assemblies ahead of the first call that needs them.</summary>
    public void Preload(IEnumerable<Assembly> assemblies)
    {
        FrameSender sender = _sender!;
        lock (sender.SyncRoot)
        {
            try
            {
                foreach (Assembly assembly in assemblies)
                {
                    if (!_dead && _loadedAssemblies.Add(assembly))
                    {
                        SendUnlocked(sender, FrameKind.LoadAssembly, 0, Encoding.UTF8.GetBytes(assembly.FullName!));
                    }
                }
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                _dead = true;
            }
        }
    }

    /// <summary>Resident set size from <c>/proc/&lt;pid&gt;/statm</c> (its second field, in pages); null off Linux or once the process is gone.</summary>
    public long? MeasureResidentBytes()
    {
        if (ProcessId is not int pid || !OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            string statm = File.ReadAllText($"/proc/{pid}/statm");
            string[] fields = statm.Split(' ', 3);
            return fields.Length >= 2 && long.TryParse(fields[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long pages)
                ? pages * Environment.SystemPageSize
                : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null; // the process just exited
        }
    }

    public void Cancel(long callId) => TrySendControl(FrameKind.Cancel, callId);

    public void Withdraw(long callId) => TrySendControl(FrameKind.Withdraw, callId);

    public void Retire(int exitCode) => TrySendControl(FrameKind.Shutdown, exitCode);

    /// <summary>Answers an item the worker put in a bounded queue of this process (its <c>Put</c> waits for this).</summary>
    public void Acknowledge(long channelId, bool accepted) =>
        TrySendControl(FrameKind.ChannelAck, channelId, accepted ? ChannelAcknowledgement.Accepted : ChannelAcknowledgement.Refused);

    public void Stop() => Kill();

    /// <summary>Marks the connection dead: nothing more is sent on it.</summary>
    public void MarkDead()
    {
        lock (SendGate)
        {
            _dead = true;
        }
    }

    /// <summary>Closes the connection: the worker sees end-of-stream and exits.</summary>
    public void CloseConnection()
    {
        _region?.Close();
        try
        {
            _socket?.Shutdown(SocketShutdown.Both);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        _socket?.Dispose();
    }

    public void Kill()
    {
        try
        {
            Process?.Kill(entireProcessTree: true);
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already exited.
        }
    }

    /// <summary>Waits for the process to exit (killing it if it lingers) and returns its exit code.</summary>
    public int? WaitForExitCode(TimeSpan grace)
    {
        System.Diagnostics.Process? process = Process;
        if (process is null)
        {
            return null;
        }

        try
        {
            if (!process.WaitForExit(grace))
            {
                Kill();
                process.WaitForExit(TimeSpan.FromSeconds(5));
            }

            if (!process.HasExited)
            {
                return null;
            }

            DeleteDiagnosticsSocket(process.Id);
            return process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Every .NET process listens on dotnet-diagnostic-&lt;pid&gt;-&lt;key&gt;-socket in the temp directory, and on Linux
    /// and macOS opens the debugger's clr-debug-pipe-&lt;pid&gt;-&lt;key&gt;-in/-out there too; it removes them when it
    /// exits normally, but not always (and never when killed, as a worker that never connected is). A worker's are
    /// stale once it has exited, and thousands would pile up on a machine that runs many pools.
    /// </summary>
    private static void DeleteDiagnosticsSocket(int processId)
    {
        try
        {
            string temp = Path.GetTempPath();
            foreach (string pattern in new[] { $"dotnet-diagnostic-{processId}-*-socket", $"clr-debug-pipe-{processId}-*-in", $"clr-debug-pipe-{processId}-*-out" })
            {
                foreach (string file in Directory.EnumerateFiles(temp, pattern))
                {
                    File.Delete(file);
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover socket file is untidy, not harmful.
        }
    }

    private void TrySendControl(FrameKind kind, long id, byte payload) => TrySendControl(kind, id, [payload]);

    private void TrySendControl(FrameKind kind, long id, ReadOnlySpan<byte> payload = default)
    {
        FrameSender? sender = _sender;
        if (sender is null)
        {
            return;
        }

        lock (sender.SyncRoot)
        {
            if (_dead)
            {
                return;
            }

            try
            {
                SendUnlocked(sender, kind, id, payload);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                _dead = true;
            }
        }
    }

    private static void SendUnlocked(FrameSender sender, FrameKind kind, long id, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[FrameHeader.Size];
        FrameHeader.Write(header, payload.Length, kind, id);
        sender.SendFrame(header);
        if (!payload.IsEmpty)
        {
            sender.SendFrame(payload);
        }
    }
}

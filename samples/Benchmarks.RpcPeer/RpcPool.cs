using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using StreamJsonRpc;

namespace ParallelGen.Benchmarks.RpcPeer;

/// <summary>
/// N child processes (this program run with <c>--child PATH</c>), one StreamJsonRpc connection each over a
/// Unix domain socket, called round robin: the pool a .NET user would build by hand with StreamJsonRpc.
/// </summary>
public sealed class RpcPool : IAsyncDisposable
{
    private readonly Process[] _children;
    private readonly JsonRpc[] _connections;
    private int _next;

    private RpcPool(Process[] children, JsonRpc[] connections)
    {
        _children = children;
        _connections = connections;
    }

    public static string Formatter => nameof(NerdbankMessagePackFormatter);

    /// <summary>Starts the children and returns once every one of them has connected.</summary>
    public static async Task<RpcPool> StartAsync(int workers)
    {
        DirectoryInfo dir = Directory.CreateTempSubdirectory("rpcpeer-");
        string path = Path.Combine(dir.FullName, "s");
        try
        {
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(workers);
            Process[] children = Enumerable.Range(0, workers)
                .Select(_ => Process.Start(ChildStartInfo(path)) ?? throw new InvalidOperationException("cannot start a child"))
                .ToArray();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var connections = new JsonRpc[workers];
            for (int i = 0; i < workers; i++)
            {
                connections[i] = Attach(await listener.AcceptAsync(timeout.Token).ConfigureAwait(false), target: null);
            }

            return new RpcPool(children, connections);
        }
        finally
        {
            dir.Delete(recursive: true); // connected sockets outlive their path
        }
    }

    /// <summary>The <c>--child</c> entry point: connect, then serve until the parent hangs up.</summary>
    public static async Task RunChildAsync(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path)).ConfigureAwait(false);
        using JsonRpc rpc = Attach(socket, new ChildTarget());
        try
        {
            await rpc.Completion.ConfigureAwait(false);
        }
        catch (ConnectionLostException)
        {
            // The parent went away: that is how a child is told to end.
        }
    }

    public Task<int> Trivial(int x) => Next().InvokeAsync<int>(nameof(ChildTarget.Trivial), [x]);

    public Task<byte[]> Identity(byte[] payload) => Next().InvokeAsync<byte[]>(nameof(ChildTarget.Identity), [payload]);

    public Task<int[]> TrivialBatch(int[] xs) => Next().InvokeAsync<int[]>(nameof(ChildTarget.TrivialBatch), [xs]);

    public async ValueTask DisposeAsync()
    {
        foreach (JsonRpc rpc in _connections)
        {
            rpc.Dispose(); // closes the socket, which ends the child
        }

        foreach (Process child in _children)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await child.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                child.Kill();
            }

            child.Dispose();
        }
    }

    // Calls are issued from one logical thread at a time, so a plain counter is enough.
    private JsonRpc Next() => _connections[_next++ % _connections.Length];

    private static JsonRpc Attach(Socket socket, ChildTarget? target)
    {
        var stream = new NetworkStream(socket, ownsSocket: true);
        var formatter = new NerdbankMessagePackFormatter { TypeShapeProvider = Witness.GeneratedTypeShapeProvider };
        var rpc = new JsonRpc(new LengthHeaderMessageHandler(stream, stream, formatter));
        if (target is not null)
        {
            rpc.AddLocalRpcTarget(target);
        }

        rpc.StartListening();
        return rpc;
    }

    // Start the children the way this program was started: its apphost, or `dotnet ParallelGen.Benchmarks.RpcPeer.dll`.
    private static ProcessStartInfo ChildStartInfo(string path)
    {
        string exe = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var start = new ProcessStartInfo(exe) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet")
        {
            start.ArgumentList.Add(typeof(RpcPool).Assembly.Location);
        }

        start.ArgumentList.Add("--child");
        start.ArgumentList.Add(path);
        return start;
    }
}

using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Sockets;
using System.Security.Cryptography;
using NUnit.Framework;
using ParallelGen.Hosting;
using ParallelGen.Protocol.Tests.Infrastructure;
using ParallelGen.Transport;
using Shouldly;

namespace ParallelGen.Protocol.Tests;

/// <summary>
/// Another process of this user finds a live pool's socket address (it is on the worker's command line) and connects.
/// Without the launch token of a worker that is still starting, the pool must drop the connection and go on working.
/// </summary>
public class ImpostorTests
{
    [Test]
    public void HelloWithAWrongToken_IsDropped_AndThePoolKeepsWorking()
    {
        using var pool = new ProcessPool(1);
        int worker = pool.Apply(ProtocolJobs.Remote.ProcessId);
        string address = WorkerProc.ListenerAddress(worker);

        for (long slot = 0; slot <= 4; slot++)
        {
            using Socket impostor = SocketAddress.Connect(address);
            SocketPair.SendAll(impostor, Hello(slot, RandomNumberGenerator.GetBytes(32)));
            AssertClosedByPeer(impostor);
        }

        pool.Apply(ProtocolJobs.Remote.Square, 9).ShouldBe(81);
        pool.Apply(ProtocolJobs.Remote.ProcessId).ShouldBe(worker);
    }

    [TestCase("oversized length")]
    [TestCase("not a Hello")]
    [TestCase("Hello too short")]
    [TestCase("noise")]
    [TestCase("half a header")]
    public void ConnectionThatIsNotAValidHello_IsDropped(string what)
    {
        using var pool = new ProcessPool(1);
        int worker = pool.Apply(ProtocolJobs.Remote.ProcessId);
        using Socket impostor = SocketAddress.Connect(WorkerProc.ListenerAddress(worker));
        byte[] bytes = what switch
        {
            "oversized length" => Frames.Header(int.MaxValue, FrameKind.Hello, 1),
            "not a Hello" => Frames.Build(FrameKind.Result, 1, new byte[36]),
            "Hello too short" => Frames.Build(FrameKind.Hello, 1, new byte[4]),
            "noise" => Frames.RandomBytes(new Random(11), 2000),
            _ => Frames.Header(40, FrameKind.Hello, 1)[..6],
        };
        SocketPair.SendAll(impostor, bytes);
        if (what == "half a header")
        {
            impostor.Shutdown(SocketShutdown.Send);
        }

        AssertClosedByPeer(impostor);
        pool.Apply(ProtocolJobs.Remote.Square, 5).ShouldBe(25);
        pool.Apply(ProtocolJobs.Remote.ProcessId).ShouldBe(worker);
    }

    /// <summary>
    /// The token is in the worker's initial environment block, which /proc shows to processes of the same user for
    /// the worker's whole life. It is single-use: once its worker has connected, it opens nothing.
    /// </summary>
    [Test]
    public void TheTokenReadFromProcEnviron_CannotBeReplayed()
    {
        using var pool = new ProcessPool(1);
        int worker = pool.Apply(ProtocolJobs.Remote.ProcessId);
        Dictionary<string, string> environment = WorkerProc.Environment(worker);
        if (!environment.TryGetValue(WorkerArguments.TokenVariable, out string? hex))
        {
            Assert.Pass("The token is not in /proc/<pid>/environ at all.");
            return;
        }

        TestContext.Out.WriteLine($"{WorkerArguments.TokenVariable} is readable in /proc/{worker}/environ by this user.");
        byte[] token = Convert.FromHexString(hex);
        foreach (long slot in new long[] { 1, 2 })
        {
            using Socket impostor = SocketAddress.Connect(WorkerProc.ListenerAddress(worker));
            SocketPair.SendAll(impostor, Hello(slot, token));
            AssertClosedByPeer(impostor);
        }

        pool.Apply(ProtocolJobs.Remote.ProcessId).ShouldBe(worker);
    }

    [Test]
    public void TheTokenIsNotInTheWorkersEnvironment_AsUserCodeSeesIt()
    {
        using var pool = new ProcessPool(1);
        string[] variables = pool.Apply(ProtocolJobs.Remote.EnvironmentVariables);

        variables.ShouldNotBeEmpty();
        variables.ShouldNotContain(v => v.StartsWith(WorkerArguments.TokenVariable + "=", StringComparison.Ordinal));
    }

    /// <summary>
    /// Connections that say nothing must not stop real workers from connecting: a replacement worker's Hello has to
    /// get through while they wait. (Each call here needs a fresh worker: MaxTasksPerChild = 1.) A listener that read
    /// one Hello at a time would hold the worker until every silent connection had used up its 5 s Hello limit and
    /// been closed; so the proof is that the replacement workers answered while all silent connections were still
    /// open: none of them had been closed by the pool yet.
    /// </summary>
    [Test]
    public void SilentConnections_DoNotDelayNewWorkers()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxTasksPerChild = 1 });
        int previous = pool.Apply(ProtocolJobs.Remote.ProcessId);
        var silent = new List<Socket>();
        try
        {
            string address = ListenerAddress(pool);
            for (int i = 0; i < 8; i++)
            {
                silent.Add(SocketAddress.Connect(address));
            }

            for (int i = 0; i < 2; i++)
            {
                int next = pool.ApplyAsync(ProtocolJobs.Remote.ProcessId).Get(TimeSpan.FromSeconds(60));
                next.ShouldNotBe(previous, "MaxTasksPerChild = 1: every call runs in a new worker");
                previous = next;
            }

            int closed = silent.Count(ClosedByPeer);
            TestContext.Out.WriteLine($"two replacement workers answered beside {silent.Count} silent connections; {closed} of those closed by then");
            closed.ShouldBe(0, "the replacement workers got in only after silent connections had been closed: the listener waited on them");
        }
        finally
        {
            silent.ForEach(s => s.Dispose());
        }
    }

    /// <summary>
    /// On Linux the listener is in the abstract namespace: /proc/net/unix lists its name to every local user, and
    /// connecting to an abstract socket checks no file permissions. Only the token keeps others out.
    /// </summary>
    [Test]
    public void TheAbstractAddressIsNotSecret_ItIsListedInProcNetUnix()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("Abstract socket addresses are Linux-only.");
        }

        using var pool = new ProcessPool(1);
        string address = WorkerProc.ListenerAddress(pool.Apply(ProtocolJobs.Remote.ProcessId));

        address.ShouldStartWith("@");
        System.IO.File.ReadAllText("/proc/net/unix").ShouldContain(address);
    }

    /// <summary>
    /// A process of another user (nobody) connects to the pool's abstract address: the kernel lets it (no permission
    /// check on abstract sockets), and the pool throws it out (on Linux as soon as it is accepted, because the kernel
    /// says whose it is; elsewhere at the token check). Needs root to switch users.
    /// </summary>
    [Test]
    public void AnotherUser_CanConnect_ButIsDroppedWithoutTheToken()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || !System.IO.File.Exists("/usr/bin/setpriv") || !System.IO.File.Exists("/usr/bin/python3"))
        {
            Assert.Ignore("Needs Linux, root (to run a process as another user), /usr/bin/setpriv and /usr/bin/python3.");
        }

        using var pool = new ProcessPool(1);
        int worker = pool.Apply(ProtocolJobs.Remote.ProcessId);
        string address = WorkerProc.ListenerAddress(worker);
        const string Script =
            "import socket, sys, os\n" +
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n" +
            "s.settimeout(10)\n" +
            "s.connect(b'\\0' + sys.argv[1][1:].encode())\n" +
            "print('uid', os.getuid(), 'connected', flush=True)\n" +
            "try:\n" +
            "    s.sendall(bytes([45, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]) + bytes(36))\n" +
            "    print('closed' if s.recv(16) == b'' else 'answered', flush=True)\n" +
            "except (BrokenPipeError, ConnectionResetError):\n" +
            "    print('closed before it could speak', flush=True)\n";
        var start = new ProcessStartInfo("/usr/bin/setpriv") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", Script, address })
        {
            start.ArgumentList.Add(argument);
        }

        using Process other = Process.Start(start)!;
        string output = other.StandardOutput.ReadToEnd();
        string errors = other.StandardError.ReadToEnd();
        other.WaitForExit(TimeSpan.FromSeconds(20)).ShouldBeTrue();

        output.ShouldContain("uid 65534 connected", customMessage: errors);
        output.ShouldContain("closed", customMessage: errors);
        pool.Apply(ProtocolJobs.Remote.ProcessId).ShouldBe(worker);
    }

    /// <summary>The pool's listening address (its workers come and go here, so /proc of one of them may be gone).</summary>
    /// <summary>
    /// A connection the pool accepted but whose Hello never came is closed when the pool is disposed, not when its
    /// Hello timeout ends later: nothing of a disposed pool stays open.
    /// </summary>
    [Test]
    public void DisposingThePool_ClosesAConnectionStillWaitingForItsHello()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("Counts the pool's sockets in /proc/net/unix.");
        }

        var pool = new ProcessPool(1);
        pool.Apply(ProtocolJobs.Remote.ProcessId); // the worker is in: the silent connection is the only one waiting
        var backend = (ParallelGen.Backends.Process.ProcessBackend)pool.WorkerBackend;
        string address = backend.Address;
        using Socket silent = SocketAddress.Connect(address);
        System.Threading.SpinWait.SpinUntil(() => backend.AwaitingHello == 1, TimeSpan.FromSeconds(60)).ShouldBeTrue("the listener accepted it");

        pool.Dispose();

        SocketsAt(address).ShouldBe(0, "the listener, the worker's connection and the silent one are closed by the time Dispose returns");
        ClosedByPeer(silent).ShouldBeTrue();
    }

    /// <summary>This process's and its children's sockets bound to, or accepted at, <paramref name="address"/>.</summary>
    private static int SocketsAt(string address) =>
        System.IO.File.ReadLines("/proc/net/unix").Count(line => line.EndsWith(" " + address, StringComparison.Ordinal));

    private static string ListenerAddress(ProcessPool pool) => ((ParallelGen.Backends.Process.ProcessBackend)pool.WorkerBackend).Address;

    private static byte[] Hello(long slot, byte[] token)
    {
        var payload = new byte[token.Length + sizeof(int)];
        token.CopyTo(payload, 0);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(token.Length), Environment.ProcessId);
        return Frames.Build(FrameKind.Hello, slot, payload);
    }

    /// <summary>Whether the pool has closed a connection that never sent or received a byte (readable at once means end of stream).</summary>
    private static bool ClosedByPeer(Socket socket) => socket.Poll(0, SelectMode.SelectRead);

    /// <summary>The pool closed the connection: a receive sees end-of-stream (or a reset), never data, within the timeout.</summary>
    private static void AssertClosedByPeer(Socket socket)
    {
        socket.ReceiveTimeout = 10_000;
        var buffer = new byte[256];
        try
        {
            int received = socket.Receive(buffer);
            received.ShouldBe(0, $"the pool sent an impostor {received} bytes: {Convert.ToHexString(buffer.AsSpan(0, received))}");
        }
        catch (SocketException reset) when (reset.SocketErrorCode == SocketError.ConnectionReset)
        {
            // Closed with unread data in its buffer: also closed.
        }
    }
}

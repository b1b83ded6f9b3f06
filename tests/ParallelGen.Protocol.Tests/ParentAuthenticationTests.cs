using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using NUnit.Framework;
using ParallelGen.Backends.Process;
using ParallelGen.Hosting;
using ParallelGen.Protocol.Tests.Infrastructure;
using ParallelGen.Transport;
using Shouldly;

namespace ParallelGen.Protocol.Tests;

/// <summary>
/// Both ends ask the kernel who is at the other end (SO_PEERCRED) instead of trusting what is said over the socket.
/// A worker talks only to the process that started it; a pool takes a connection only from the process it started
/// for that slot. The token alone proved nothing to the worker, and a token read from /proc was enough for the pool.
/// </summary>
public class ParentAuthenticationTests
{
    /// <summary>Binds the address given, accepts one connection, and reports every byte it receives until EOF.</summary>
    private const string ImpostorListener =
        "import socket, sys, os\n" +
        "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n" +
        "s.bind(b'\\0' + sys.argv[1][1:].encode())\n" +
        "s.listen(1)\n" +
        "s.settimeout(60)\n" +
        "print('listening as uid', os.getuid(), flush=True)\n" +
        "c, _ = s.accept()\n" +
        "c.settimeout(30)\n" +
        "got = b''\n" +
        "try:\n" +
        "    while True:\n" +
        "        d = c.recv(4096)\n" +
        "        if not d: break\n" +
        "        got += d\n" +
        "except socket.timeout:\n" +
        "    pass\n" +
        "print('received', len(got), 'bytes', got.hex(), flush=True)\n";

    /// <summary>Waits for "go", then connects and sends a Hello for the slot and token given, with its own pid.</summary>
    private const string HelloSender =
        "import socket, sys, os, struct\n" +
        "sys.stdin.readline()\n" +
        "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n" +
        "s.settimeout(20)\n" +
        "s.connect(b'\\0' + sys.argv[1][1:].encode())\n" +
        "s.sendall(struct.pack('<iBq', 45, 1, int(sys.argv[2])) + bytes.fromhex(sys.argv[3]) + struct.pack('<i', os.getpid()))\n" +
        "try:\n" +
        "    print('answered' if s.recv(1) else 'closed', flush=True)\n" +
        "except ConnectionResetError:\n" +
        "    print('closed', flush=True)\n" +
        "except socket.timeout:\n" +
        "    print('silence', flush=True)\n" +
        "sys.stdin.readline()\n";

    /// <summary>
    /// The attack: the pool's process is gone, and another process (of this user, or of another user) binds the freed
    /// abstract name while a worker starts. The worker must send it nothing (not its token, not a Hello) and exit.
    /// </summary>
    [TestCase(false)]
    [TestCase(true)]
    public void AnImpostorListeningAtTheAddress_GetsNothing_AndTheWorkerExits(bool impostorIsAnotherUser)
    {
        PythonPeer.RequireOrIgnore(impostorIsAnotherUser);
        string address = SocketAddress.CreateUnique();
        using PythonPeer impostor = PythonPeer.Start(ImpostorListener, impostorIsAnotherUser, address);
        TestContext.Out.WriteLine(impostor.ReadLine());

        string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        ProcessStartInfo start = WorkerLauncher.CreateStartInfo(new WorkerArguments(address, Environment.ProcessId, 7, 1024 * 1024), token);
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        using Process worker = Process.Start(start)!;
        string workerErrors = worker.StandardError.ReadToEnd();
        worker.WaitForExit(TimeSpan.FromSeconds(30)).ShouldBeTrue("the worker must exit");
        string received = impostor.ReadLine();

        TestContext.Out.WriteLine($"impostor: {received}\nworker {worker.Id} (exit code {worker.ExitCode}): {workerErrors}");
        received.ShouldStartWith("received 0 bytes", customMessage: $"the worker talked to an impostor; its token was {token}");
        worker.ExitCode.ShouldBe(ParentConnection.NotOurParentExitCode, workerErrors);
        workerErrors.ShouldContain("is not this worker's parent");
    }

    /// <summary>
    /// The right slot and the right token, sent by a process other than the one the pool started for that slot (a
    /// process of this user that read the token from /proc/&lt;pid&gt;/environ, say), are refused; the same Hello
    /// from the process the pool started is taken. Only the kernel's pid differs.
    /// </summary>
    [Test]
    public void AHelloWithTheRightToken_IsTakenOnlyFromTheProcessStartedForTheSlot()
    {
        PythonPeer.RequireOrIgnore(asAnotherUser: false);
        using var backend = new ProcessBackend(new ProcessPoolOptions { Processes = 1 }, new IgnoringEvents());
        using PythonPeer started = PythonPeer.Start(HelloSender, asAnotherUser: false, backend.Address, "1000", Token(1000));
        using PythonPeer stranger = PythonPeer.Start(HelloSender, asAnotherUser: false, backend.Address, "1000", Token(1000));
        ChildWorker slot = ExpectWorker(backend, 1000, started.Process);

        stranger.WriteLine("go");
        stranger.ReadLine().ShouldBe("closed", "a process the pool did not start presented the slot's token");
        slot.IsConnected.ShouldBeFalse();

        started.WriteLine("go");
        started.ReadLine().ShouldBe("answered", "the process started for the slot must be taken");
        slot.IsConnected.ShouldBeTrue();
        backend.Terminate();
    }

    private static string Token(long key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("slot " + key)));

    /// <summary>Registers a slot as if the backend had started <paramref name="process"/> for it.</summary>
    private static ChildWorker ExpectWorker(ProcessBackend backend, long key, Process process)
    {
        var worker = new ChildWorker(key, Convert.FromHexString(Token(key)), "test", region: null) { Process = process };
        foreach (string field in new[] { "_starting", "_live" })
        {
            object collection = typeof(ProcessBackend).GetField(field, BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(backend)!;
            switch (collection)
            {
                case Dictionary<long, ChildWorker> starting:
                    lock (GetLock(backend))
                    {
                        starting.Add(key, worker);
                    }

                    break;
                case List<ChildWorker> live:
                    lock (GetLock(backend))
                    {
                        live.Add(worker);
                    }

                    break;
            }
        }

        return worker;
    }

    private static object GetLock(ProcessBackend backend) =>
        typeof(ProcessBackend).GetField("_lock", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(backend)!;
}

using System;
using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using NUnit.Framework;
using ParallelGen.SharedState.Hub;
using ParallelGen.Transport;
using Shouldly;

namespace ParallelGen.Protocol.Tests;

/// <summary>
/// The shared-state hub serves a connection only when the kernel says the peer runs as this user (SO_PEERCRED) and the
/// peer presents the hub's token: each check alone is tested by failing only it.
/// </summary>
public class SharedStateHubTests
{
    [Test]
    public void RightToken_SameUser_IsAcknowledged()
    {
        using var ready = new ProcessEvent(); // starts the hub
        SharedStateHub hub = SharedStateHub.Current;
        using Socket peer = SocketAddress.Connect(hub.Address);
        peer.Send(hub.Token);
        ReadOrClosed(peer).ShouldBe(1);
    }

    [Test]
    public void WrongToken_IsDroppedWithoutAnAnswer_AndObjectsStillWork()
    {
        using var ready = new ProcessEvent();
        using Socket impostor = SocketAddress.Connect(SharedStateHub.Current.Address);
        impostor.Send(RandomNumberGenerator.GetBytes(HubWire.TokenLength));
        ReadOrClosed(impostor).ShouldBe(-1);

        ready.Set();
        ready.IsSet.ShouldBeTrue();
    }

    [Test]
    public void AnotherUser_WithTheRightToken_IsDropped()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || !System.IO.File.Exists("/usr/bin/setpriv") || !System.IO.File.Exists("/usr/bin/python3"))
        {
            Assert.Ignore("Needs Linux, root (to run a process as another user), /usr/bin/setpriv and /usr/bin/python3.");
        }

        using var ready = new ProcessEvent();
        SharedStateHub hub = SharedStateHub.Current;
        const string Script =
            "import socket, sys, os\n" +
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n" +
            "s.settimeout(10)\n" +
            "s.connect(b'\\0' + sys.argv[1][1:].encode())\n" +
            "print('uid', os.getuid(), 'connected', flush=True)\n" +
            "try:\n    s.sendall(bytes.fromhex(sys.argv[2]))\n    answer = s.recv(16)\n" +
            "except (BrokenPipeError, ConnectionResetError):\n    answer = b''\n" +
            "print('closed' if answer == b'' else 'answered', flush=True)\n";
        var start = new ProcessStartInfo("/usr/bin/setpriv") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", Script, hub.Address, Convert.ToHexString(hub.Token) })
        {
            start.ArgumentList.Add(argument);
        }

        using Process other = Process.Start(start)!;
        string output = other.StandardOutput.ReadToEnd();
        string errors = other.StandardError.ReadToEnd();
        other.WaitForExit(TimeSpan.FromSeconds(20)).ShouldBeTrue();

        output.ShouldContain("uid 65534 connected", customMessage: errors);
        output.ShouldContain("closed", customMessage: errors);
    }

    /// <summary>The first byte the hub sends, or -1 when it closes the connection instead.</summary>
    private static int ReadOrClosed(Socket socket)
    {
        socket.ReceiveTimeout = 30_000;
        var buffer = new byte[1];
        return socket.Receive(buffer) == 1 ? buffer[0] : -1;
    }
}

/// <summary>
/// A worker's side when the owner's process goes away: a stand-in hub accepts the connection, takes one request and
/// dies. Every waiting and later operation must fail at once with the documented exception, never hang.
/// </summary>
public class SharedStateConnectionLossTests
{
    [Test]
    public void OwnerGoneMidRequest_ManagerObjectsThrowObjectDisposed_PipesThrowEndOfStream()
    {
        string address = SocketAddress.CreateUnique();
        byte[] token = RandomNumberGenerator.GetBytes(HubWire.TokenLength);
        using Socket listener = SocketAddress.Listen(address);
        var hub = new System.Threading.Thread(() =>
        {
            using Socket connection = listener.Accept();
            var received = new byte[HubWire.TokenLength];
            connection.Receive(received);
            connection.Send([1]);
            connection.Receive(new byte[64]); // the first request arrives; then the "owner" dies without answering
        });
        hub.Start();

        var dictionary = new ProcessDictionary<int, int>(new HubRef(address, token, 1));
        var pipe = new ProcessPipe<int>(new HubRef(address, token, 2), null);

        Should.Throw<ObjectDisposedException>(() => dictionary.Count);
        hub.Join();
        Should.Throw<ObjectDisposedException>(() => dictionary.TryAdd(1, 1));
        Should.Throw<System.IO.EndOfStreamException>(() => pipe.Receive());
        Should.Throw<ObjectDisposedException>(() => new ProcessLock(new HubRef(address, token, 3)).Acquire());
    }
}

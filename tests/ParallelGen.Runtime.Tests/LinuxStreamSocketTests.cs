using System;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using ParallelGen.Transport;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

/// <summary>
/// The worker's libc-driven socket to its parent, against a listener made with <see cref="Socket"/> (what the parent
/// uses): bytes both ways, the kernel's word on who listens, the errors <see cref="Socket"/> would give, and a
/// Dispose that wakes a blocked read.
/// </summary>
public class LinuxStreamSocketTests
{
    [SetUp]
    public void RequireLinux()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("LinuxStreamSocket is the worker's socket on Linux only.");
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Connects_AndMovesBytesBothWays(bool abstractAddress)
    {
        string address = abstractAddress ? SocketAddress.CreateUnique() : System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pg-" + Guid.NewGuid().ToString("N")[..12]);
        using Socket listener = SocketAddress.Listen(address);
        try
        {
            using LinuxStreamSocket client = LinuxStreamSocket.Connect(address);
            using Socket server = listener.Accept();

            client.Send([1, 2, 3]);
            var received = new byte[3];
            ReceiveAll(server, received);
            received.ShouldBe(new byte[] { 1, 2, 3 });

            server.Send(new byte[] { 9, 8 });
            var back = new byte[2];
            client.Receive(back).ShouldBeGreaterThan(0);

            server.Shutdown(SocketShutdown.Send);
            var rest = new byte[4];
            while (client.Receive(rest) > 0)
            {
            }

            client.Receive(rest).ShouldBe(0, "the end of the stream reads as 0, again and again");
        }
        finally
        {
            if (!abstractAddress)
            {
                System.IO.File.Delete(address);
            }
        }
    }

    [Test]
    public void PeerCredentials_NameTheListeningProcess()
    {
        string address = SocketAddress.CreateUnique();
        using Socket listener = SocketAddress.Listen(address);
        using LinuxStreamSocket client = LinuxStreamSocket.Connect(address);

        client.TryGetPeerCredentials(out PeerCredentials peer).ShouldBeTrue();

        peer.ProcessId.ShouldBe(Environment.ProcessId);
        peer.UserId.ShouldBe(PeerCredentials.CurrentUserId);
    }

    [Test]
    public void Connect_ToAnAddressNoOneListensAt_ThrowsConnectionRefused()
    {
        SocketException error = Should.Throw<SocketException>(() => LinuxStreamSocket.Connect(SocketAddress.CreateUnique()));

        error.SocketErrorCode.ShouldBe(SocketError.ConnectionRefused);
        error.Message.ShouldContain("connect failed");
    }

    [Test]
    public void Connect_ToAnAddressLongerThanTheKernelTakes_SaysSo()
    {
        Should.Throw<SocketException>(() => LinuxStreamSocket.Connect("/tmp/" + new string('x', 200)))
            .Message.ShouldContain("longer than 107 bytes");
    }

    [Test]
    public void Send_AfterThePeerClosed_ThrowsConnectionReset()
    {
        string address = SocketAddress.CreateUnique();
        using Socket listener = SocketAddress.Listen(address);
        using LinuxStreamSocket client = LinuxStreamSocket.Connect(address);
        listener.Accept().Dispose();

        // The first send may still be accepted into the kernel's buffer; the peer's reset fails a later one.
        SocketException error = Should.Throw<SocketException>(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                client.Send(new byte[64 * 1024]);
            }
        });
        error.SocketErrorCode.ShouldBe(SocketError.ConnectionReset);
    }

    [Test]
    public async Task Dispose_WakesAThreadBlockedInReceive()
    {
        string address = SocketAddress.CreateUnique();
        using Socket listener = SocketAddress.Listen(address);
        LinuxStreamSocket client = LinuxStreamSocket.Connect(address);
        using Socket server = listener.Accept();
        using var reading = new ManualResetEventSlim();
        Task<int> blocked = Task.Factory.StartNew(
            () =>
            {
                reading.Set();
                return client.Receive(new byte[1]);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        reading.Wait();

        // The reader may not be inside recv yet when Dispose runs: either way it must come back, with the end of the
        // stream or with an error, and never hang.
        client.Dispose();

        Task finished = await Task.WhenAny(blocked, Task.Delay(TimeSpan.FromSeconds(30)));
        finished.ShouldBe(blocked, "Dispose must wake the reader");
        if (blocked.IsCompletedSuccessfully)
        {
            blocked.Result.ShouldBe(0);
        }
        else
        {
            Exception error = blocked.Exception!.InnerException!;
            (error is SocketException or ObjectDisposedException).ShouldBeTrue(error.ToString());
        }
    }

    private static void ReceiveAll(Socket socket, byte[] buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            read += socket.Receive(buffer, read, buffer.Length - read, SocketFlags.None);
        }
    }
}

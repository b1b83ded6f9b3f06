using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using ParallelGen.Backends.Process;
using ParallelGen.Transport;
using Shouldly;

namespace ParallelGen.Protocol.Tests;

/// <summary>
/// The listener's accept loop carries every replacement worker of a pool's life: it must outlive failed accepts,
/// and a flood of connections must not grow without bound.
/// </summary>
public class AcceptLoopTests
{
    /// <summary>
    /// The attack: connections until the pool's process has no file descriptors left, so accept() fails (EMFILE).
    /// The loop used to take any failure for "listener closed" and return; every later worker then timed out. The
    /// pool runs in a worker with a lowered RLIMIT_NOFILE, so the exhaustion stays there; this process floods it.
    /// </summary>
    [Test]
    public void AfterAcceptFailsForWantOfFileDescriptors_ReplacementWorkersStillStart()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("setrlimit and /proc/self/fd: Linux.");
        }

        // The .NET runtime itself may abort (SIGABRT) in a process at its descriptor limit, before or after the one
        // accept() this test is about: that is not the listener's doing, so such an attempt is run again.
        string result;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                result = FloodUntilAcceptFails();
                break;
            }
            catch (WorkerCrashedException crash) when (attempt < 3 && crash.ExitCode == 134)
            {
                TestContext.Out.WriteLine($"attempt {attempt}: the process at its descriptor limit aborted ({crash.Message}); again");
            }
        }

        result.ShouldStartWith("ok:");
    }

    /// <summary>Runs a pool at a lowered descriptor limit in a worker, floods its listener, and returns its report.</summary>
    private static string FloodUntilAcceptFails()
    {
        const int Headroom = 24; // fewer than the handshake cap, so the flood reaches the limit
        using var pool = new ProcessPool(1);
        var report = new ProcessQueue<string>();
        AsyncResult<string> outcome = pool.ApplyAsync(ProtocolJobs.Remote.ServeWithFewDescriptors, (Headroom, report));
        string address = report.Get(TimeSpan.FromSeconds(60));
        var flood = new List<Socket>();
        try
        {
            // Fewer than the listen backlog (128) holds, so no connect blocks even if nothing accepts them.
            while (flood.Count < 100 && !report.TryGet(out _))
            {
                try
                {
                    flood.Add(SocketAddress.Connect(address));
                }
                catch (SocketException refused)
                {
                    // The kernel may refuse a connection outright while the listener's process has no descriptor
                    // left; that is the state the attack wants, so stop flooding and let the pool show it recovers.
                    TestContext.Out.WriteLine($"connection {flood.Count} refused: {refused.SocketErrorCode}");
                    break;
                }
            }

            if (flood.Count == 100)
            {
                // The serving process reports once accept() has failed; if it ends first (it aborted), stop waiting.
                var ended = new CancellationTokenSource(); // no timer inside: nothing to dispose
                _ = outcome.AsTask().ContinueWith(_ => ended.Cancel(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                try
                {
                    TestContext.Out.WriteLine(report.Get(TimeSpan.FromSeconds(90), ended.Token));
                }
                catch (OperationCanceledException)
                {
                    TestContext.Out.WriteLine("the serving process ended before it reported");
                }
            }
        }
        finally
        {
            flood.ForEach(socket => socket.Dispose());
        }

        string result = outcome.Get(TimeSpan.FromSeconds(240));
        TestContext.Out.WriteLine($"{flood.Count} connections; {result}");
        return result;
    }

    /// <summary>
    /// More silent connections than <see cref="WorkerListener.MaxPendingHandshakes"/>: the ones past the cap are closed
    /// at once (their Hello is never awaited), and a new worker still gets through.
    /// </summary>
    [Test]
    public void ConnectionsPastTheHandshakeCap_AreClosedAtOnce_AndNewWorkersStillConnect()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxTasksPerChild = 1 });
        int first = pool.Apply(ProtocolJobs.Remote.ProcessId);
        string address = ((ProcessBackend)pool.WorkerBackend).Address;
        var silent = new List<Socket>();
        try
        {
            for (int i = 0; i < WorkerListener.MaxPendingHandshakes + 16; i++)
            {
                Socket socket = SocketAddress.Connect(address);
                socket.ReceiveTimeout = 3000; // well under the 5 s Hello limit: a close seen now is the cap's
                silent.Add(socket);
            }

            // Connections are accepted in the order they were made: the last ones are past the cap. All are watched at
            // once, each for 3 s, less than the 5 s a connection may take to send its Hello: an end of stream seen
            // within that is the cap's doing, not the Hello limit's.
            Task<bool>[] closed = silent.Skip(WorkerListener.MaxPendingHandshakes).Select(socket => Task.Run(() =>
            {
                try
                {
                    return socket.Receive(new byte[1]) == 0;
                }
                catch (SocketException timeout) when (timeout.SocketErrorCode == SocketError.TimedOut)
                {
                    return false; // still waiting for its Hello
                }
            })).ToArray();
            int closedAtOnce = closed.Count(task => task.Result);

            TestContext.Out.WriteLine($"{silent.Count} silent connections: {closedAtOnce} closed at once");
            closedAtOnce.ShouldBe(16, "every connection past the cap must be closed without waiting for its Hello");
            pool.ApplyAsync(ProtocolJobs.Remote.ProcessId).Get(TimeSpan.FromSeconds(60)).ShouldNotBe(first);
        }
        finally
        {
            silent.ForEach(socket => socket.Dispose());
        }
    }
}

using System;
using System.Diagnostics;
using System.Threading;
using ParallelGen.Channels;
using ParallelGen.Transport;
using ParallelGen.Transport.SharedMemory;

namespace ParallelGen.Hosting;

/// <summary>The worker process's start and end: connect, choose shared memory or the socket, start the threads, exit.</summary>
internal sealed partial class WorkerHost
{
    public static int Run(WorkerArguments arguments)
    {
        if (ParentConnection.Open(arguments, out int exitCode) is not { } socket)
        {
            return exitCode;
        }

        RingRegion? region = ParentConnection.MapRing(arguments);
        try
        {
            ParentConnection.SendHello(new FrameSender(socket), arguments);
        }
        catch (Exception exception) when (SocketErrors.IsSocketError(exception))
        {
            // The pool went away between the connect and the Hello: as quiet as a connect that failed.
            return ParentConnection.PoolGoneExitCode;
        }

        IByteLink link = region is null ? socket : new RingLink(region.ToWorker, region.ToParent);
        if (region is not null)
        {
            // Frames now travel through shared memory; the socket's end is still what says the parent is gone.
            new Thread(() => ExitWhenClosed(socket)) { IsBackground = true, Name = "ParallelGen worker parent watch" }.Start();
        }

        var sender = new FrameSender(link);

        ChannelScope.WorkerConnection = sender;
        Console.SetOut(ConsoleForwarder.Create(sender, 1));
        Console.SetError(ConsoleForwarder.Create(sender, 2));

        var host = new WorkerHost(sender, arguments.MaxMessageBytes, spinForWork: region is not null);
        var executor = new Thread(host.ExecuteLoop) { IsBackground = true, Name = "ParallelGen worker executor" };
        executor.Start();
        var reader = new FrameReader(link, FrameHeader.MaxLengthFor(arguments.MaxMessageBytes));
        new Thread(() => host.ReadLoop(reader)) { IsBackground = true, Name = "ParallelGen worker reader" }.Start();

        // The main thread only waits for the parent's Shutdown and returns its exit code. Returning from Main (rather
        // than Environment.Exit) is what makes the runtime wait for foreground threads a call started, as any .NET
        // program does (and Python's Process does for non-daemon threads). The reader stays: end-of-stream from a
        // parent that went away still ends the process at once.
        lock (host._shutdown)
        {
            while (host._exitCode is null)
            {
                Monitor.Wait(host._shutdown);
            }

            return host._exitCode.Value;
        }
    }

    /// <summary>Blocks on the socket, which carries nothing once the rings do, until the parent's end closes.</summary>
    private static void ExitWhenClosed(IParentSocket socket)
    {
        try
        {
            socket.Receive(new byte[1]);
        }
        catch (Exception exception) when (exception is ObjectDisposedException || SocketErrors.IsSocketError(exception))
        {
            // Reset: gone all the same.
        }

        Exit(0);
    }

    private static void Exit(int code)
    {
        // Environment.Exit runs ProcessExit handlers (coverage, logging); if user code blocks one of them,
        // the watchdog makes sure the process still goes away.
        var watchdog = new Thread(() =>
        {
            Thread.Sleep(s_exitWatchdog);
            Process.GetCurrentProcess().Kill();
        }) { IsBackground = true };
        watchdog.Start();
        Environment.Exit(code);
    }
}

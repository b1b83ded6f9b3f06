using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using ParallelGen.Hosting;
using ParallelGen.Transport;
using Shouldly;

namespace ParallelGen.Protocol.Tests.Infrastructure;

/// <summary>
/// A real worker process started exactly as <c>ProcessBackend.StartWorker</c> starts one
/// (<see cref="WorkerLauncher.CreateStartInfo"/> with its own listener and token), with this test as its parent.
/// </summary>
internal sealed class RawWorker : IDisposable
{
    public const int Index = 7;
    private readonly StringBuilder _stderr;

    private RawWorker(Process process, Socket connection, FrameReader reader, int helloProcessId, StringBuilder stderr)
    {
        _stderr = stderr;
        Process = process;
        Connection = connection;
        Reader = reader;
        HelloProcessId = helloProcessId;
    }

    public Process Process { get; }

    public Socket Connection { get; }

    /// <summary>Reads what the worker sends, with the same limit the pool would use.</summary>
    public FrameReader Reader { get; }

    public int HelloProcessId { get; }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static RawWorker Start(int maxMessageBytes = 1024 * 1024)
    {
        string address = SocketAddress.CreateUnique();
        using Socket listener = SocketAddress.Listen(address);
        byte[] token = RandomNumberGenerator.GetBytes(32);
        ProcessStartInfo startInfo = WorkerLauncher.CreateStartInfo(
            new WorkerArguments(address, Environment.ProcessId, Index, maxMessageBytes), Convert.ToHexString(token));
        startInfo.RedirectStandardError = true;
        startInfo.RedirectStandardOutput = true;
        var stderr = new StringBuilder();
        Process process = Process.Start(startInfo)!;
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        Task<Socket> accept = listener.AcceptAsync();
        if (!accept.Wait(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            throw new TimeoutException("The worker did not connect within 30 s.");
        }

        Socket connection = accept.Result;
        connection.ReceiveTimeout = 10_000;
        var reader = new FrameReader(connection, FrameHeader.MaxLengthFor(maxMessageBytes));
        reader.TryRead(out Frame hello).ShouldBeTrue("the worker's first frame");
        int helloProcessId;
        using (hello)
        {
            hello.Kind.ShouldBe(FrameKind.Hello);
            hello.Id.ShouldBe(Index);
            hello.Payload.Length.ShouldBe(token.Length + sizeof(int));
            hello.Payload.Span[..token.Length].SequenceEqual(token).ShouldBeTrue("the Hello carries the launch token");
            helloProcessId = BinaryPrimitives.ReadInt32LittleEndian(hello.Payload.Span[token.Length..]);
        }

        return new RawWorker(process, connection, reader, helloProcessId, stderr);
    }

    public void Send(byte[] bytes) => SocketPair.SendAll(Connection, bytes);

    /// <summary>Makes the worker's dispatch table hold this test assembly's methods, as the pool's Preload does.</summary>
    public void LoadTestAssembly() =>
        Send(Frames.Build(FrameKind.LoadAssembly, 0, Encoding.UTF8.GetBytes(typeof(ProtocolJobs).Assembly.FullName!)));

    public bool WaitForExit(TimeSpan timeout) => Process.WaitForExit(timeout);

    public void Dispose()
    {
        Connection.Dispose();
        if (!Process.WaitForExit(TimeSpan.FromSeconds(5)))
        {
            Process.Kill();
            Process.WaitForExit();
        }

        Process.Dispose();
    }
}

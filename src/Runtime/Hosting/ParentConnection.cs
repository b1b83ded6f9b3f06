using System;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using ParallelGen.Transport;
using ParallelGen.Transport.SharedMemory;

namespace ParallelGen.Hosting;

/// <summary>
/// A worker's way to its parent: connects to the address on its command line, makes sure (through the kernel) that
/// the listener is the parent that started it before saying a word, and then presents its launch token.
/// </summary>
internal static class ParentConnection
{
    /// <summary>Exit code of a worker whose pool was gone before it could connect.</summary>
    public const int PoolGoneExitCode = 3;

    /// <summary>Exit code of a worker that found someone other than its parent listening at its address.</summary>
    public const int NotOurParentExitCode = 4;

    /// <summary>The connection to the parent, or null with the exit code the worker ends with.</summary>
    public static IParentSocket? Open(WorkerArguments arguments, out int exitCode)
    {
        exitCode = 0;
        IParentSocket socket;
        try
        {
            socket = OperatingSystem.IsLinux() ? LinuxStreamSocket.Connect(arguments.Address) : ConnectManaged(arguments.Address);
        }
        catch (Exception exception) when (SocketErrors.IsSocketError(exception))
        {
            // The pool went away before this worker was up (a short program ending, a Dispose): nothing to do,
            // and nothing worth alarming the user's console about.
            exitCode = PoolGoneExitCode;
            return null;
        }

        if (!IsOurParent(socket, arguments, out string refusal))
        {
            // Whoever listens on the address is not the process that started this worker (it died, and another took
            // the name): it gets nothing, not even the token, and can make this worker run nothing.
            Console.Error.WriteLine($"ParallelGen worker {Environment.ProcessId}: {refusal}; exiting without a word.");
            socket.Dispose();
            exitCode = NotOurParentExitCode;
            return null;
        }

        return socket;
    }

    /// <summary>
    /// Maps the shared memory the parent made for this worker, if it made any; this marks it attached, so it must
    /// happen before the Hello. Null when there is none or it cannot be mapped: then the socket carries every frame.
    /// </summary>
    public static RingRegion? MapRing(WorkerArguments arguments)
    {
        if (arguments.Ring is null || !RingRegion.IsSupported)
        {
            return null;
        }

        try
        {
            return RingRegion.Open(arguments.ParentProcessId, arguments.Ring);
        }
        catch (Exception exception) when (exception is FormatException or ObjectDisposedException or System.IO.IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The first frame: the launch token from the environment (removed from it) and this process's id.</summary>
    public static void SendHello(FrameSender sender, WorkerArguments arguments)
    {
        byte[] token = ReadToken();
        var hello = new byte[token.Length + sizeof(int)];
        token.CopyTo(hello, 0);
        BinaryPrimitives.WriteInt32LittleEndian(hello.AsSpan(token.Length), Environment.ProcessId);
        sender.Send(FrameKind.Hello, arguments.Index, hello);
    }

    /// <summary>Elsewhere than Linux, through <see cref="Socket"/> (a method of its own: Linux workers never load it).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static SocketLink ConnectManaged(string address) => new(SocketAddress.Connect(address));

    /// <summary>
    /// Asks the kernel who listens at the other end (<see cref="PeerCredentials"/>): it must be this user, and the very
    /// process named on the command line, which must still be this process's parent.
    /// </summary>
    private static bool IsOurParent(IParentSocket socket, WorkerArguments arguments, out string refusal)
    {
        refusal = "";
        if (!PeerCredentials.IsSupported)
        {
            return true; // the address is a path in a directory only this user can enter (SocketAddress)
        }

        if (!socket.TryGetPeerCredentials(out PeerCredentials peer))
        {
            refusal = $"the kernel did not say who listens at {arguments.Address}";
            return false;
        }

        uint user = PeerCredentials.CurrentUserId;
        int parent = PeerCredentials.CurrentParentProcessId;
        if (peer.UserId != user || peer.ProcessId != arguments.ParentProcessId || parent != arguments.ParentProcessId)
        {
            refusal = $"the listener at {arguments.Address} ({peer}) is not this worker's parent " +
                $"(pid {arguments.ParentProcessId}, uid {user}; the parent now is pid {parent})";
            return false;
        }

        return true;
    }

    private static byte[] ReadToken()
    {
        string? hex = Environment.GetEnvironmentVariable(WorkerArguments.TokenVariable);
        // User code in this process has no business with the token.
        Environment.SetEnvironmentVariable(WorkerArguments.TokenVariable, null);
        return string.IsNullOrEmpty(hex) ? Array.Empty<byte>() : HexDigits.Parse(hex, WorkerArguments.TokenVariable);
    }
}

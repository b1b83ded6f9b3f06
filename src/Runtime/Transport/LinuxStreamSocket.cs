using System;
using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace ParallelGen.Transport;

/// <summary>
/// A connected Unix domain stream socket driven by libc calls, for the worker's link to its parent on Linux.
/// <see cref="Socket"/> would do the same, but its first use costs a fresh worker about 30 ms of CPU and 6 MB of
/// memory (System.Net.Sockets, its telemetry <c>EventSource</c>, the socket engine): a quarter of a worker's start.
/// Failures throw <see cref="SocketException"/>, as <see cref="Socket"/> would, so callers handle one type.
/// </summary>
internal sealed unsafe partial class LinuxStreamSocket : IParentSocket
{
    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int SockCloexec = 0x80000; // a process the worker starts must not keep the parent's link open
    private const int MsgNoSignal = 0x4000;
    private const int ShutRdwr = 2;
    private const int Eintr = 4;
    private const int SunPathOffset = 2; // struct sockaddr_un { sa_family_t sun_family; char sun_path[108]; }
    private const int SunPathLength = 108;

    private readonly SocketHandle _handle;
    private int _shutDown;

    private LinuxStreamSocket(SocketHandle handle) => _handle = handle;

    /// <summary>Connects to <paramref name="address"/> (<c>@name</c> for the abstract namespace, or a path).</summary>
    /// <exception cref="SocketException">No one listens there, or the address is too long.</exception>
    public static LinuxStreamSocket Connect(string address)
    {
        bool isAbstract = address.StartsWith('@');
        byte[] path = Encoding.UTF8.GetBytes(isAbstract ? address[1..] : address);
        int pathBytes = path.Length + 1; // the leading zero of an abstract name, or the terminating zero of a path
        if (pathBytes > SunPathLength)
        {
            ThrowAddressTooLong(address);
        }

        byte* sockaddr = stackalloc byte[SunPathOffset + SunPathLength];
        new Span<byte>(sockaddr, SunPathOffset + SunPathLength).Clear();
        *(ushort*)sockaddr = AfUnix;
        path.CopyTo(new Span<byte>(sockaddr + SunPathOffset + (isAbstract ? 1 : 0), path.Length));

        int fd = NativeMethods.Socket(AfUnix, SockStream | SockCloexec, 0);
        if (fd < 0)
        {
            ThrowLastError("socket", Marshal.GetLastPInvokeError());
        }

        var handle = new SocketHandle(fd);
        while (NativeMethods.Connect(handle, sockaddr, SunPathOffset + pathBytes) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Eintr)
            {
                handle.Dispose();
                ThrowLastError("connect", errno);
            }
        }

        return new LinuxStreamSocket(handle);
    }

    public int Receive(Span<byte> buffer)
    {
        fixed (byte* bytes = buffer)
        {
            while (true)
            {
                nint received = NativeMethods.Recv(_handle, bytes, (nuint)buffer.Length, 0);
                if (received >= 0)
                {
                    return (int)received;
                }

                ThrowUnlessInterrupted("recv");
            }
        }
    }

    public void Send(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            int sent = 0;
            while (sent < bytes.Length)
            {
                nint written = NativeMethods.Send(_handle, start + sent, (nuint)(bytes.Length - sent), MsgNoSignal);
                if (written >= 0)
                {
                    sent += (int)written;
                }
                else
                {
                    ThrowUnlessInterrupted("send");
                }
            }
        }
    }

    public bool TryGetPeerCredentials(out PeerCredentials credentials)
    {
        byte* ucred = stackalloc byte[PeerCredentials.UcredSize];
        uint length = PeerCredentials.UcredSize;
        if (NativeMethods.GetSockOpt(_handle, PeerCredentials.SolSocket, PeerCredentials.SoPeerCred, ucred, &length) != 0)
        {
            credentials = default;
            return false;
        }

        return PeerCredentials.TryRead(new ReadOnlySpan<byte>(ucred, (int)length), out credentials);
    }

    /// <summary>Shuts the connection down first, which wakes a thread blocked in <see cref="Receive"/>; then closes it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _shutDown, 1) == 0 && !_handle.IsClosed)
        {
            _ = NativeMethods.Shutdown(_handle, ShutRdwr);
        }

        // The descriptor closes once no call is using it any more (the handle counts them), so its number can never
        // be reused under a call still in flight.
        _handle.Dispose();
    }

    /// <summary>Returns when the call failed only because a signal interrupted it (EINTR: call again); otherwise throws.</summary>
    private static void ThrowUnlessInterrupted(string call)
    {
        int errno = Marshal.GetLastPInvokeError();
        if (errno != Eintr)
        {
            ThrowLastError(call, errno);
        }
    }

    /// <summary>
    /// Throws what <see cref="Socket"/> would throw for <paramref name="errno"/>. The throws live in methods of their
    /// own, never inlined, so that System.Net.Primitives, where <see cref="SocketException"/> lives, loads only when one
    /// happens (see <see cref="SocketErrors"/>).
    /// </summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLastError(string call, int errno) => throw NewError(call, errno);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowAddressTooLong(string address) =>
        throw new SocketException((int)SocketError.InvalidArgument, $"The socket address {address} is longer than {SunPathLength - 1} bytes.");

    private static SocketException NewError(string call, int errno)
    {
        SocketError error = errno switch
        {
            2 or 111 => SocketError.ConnectionRefused, // ENOENT (no such path), ECONNREFUSED
            32 or 104 => SocketError.ConnectionReset, // EPIPE, ECONNRESET
            9 or 88 => SocketError.NotSocket, // EBADF, ENOTSOCK
            11 => SocketError.WouldBlock,
            _ => SocketError.SocketError,
        };
        return new SocketException((int)error, $"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>The socket's descriptor, closed when the last call using it returns.</summary>
    private sealed class SocketHandle : SafeHandle
    {
        public SocketHandle(int fd)
            : base(-1, ownsHandle: true) => SetHandle(fd);

        public override bool IsInvalid => handle == -1;

        protected override bool ReleaseHandle() => NativeMethods.Close((int)handle) == 0;
    }

    private static partial class NativeMethods
    {
        [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
        internal static partial int Socket(int domain, int type, int protocol);

        [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
        internal static partial int Connect(SafeHandle fd, byte* address, int addressLength);

        [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
        internal static partial nint Recv(SafeHandle fd, byte* buffer, nuint length, int flags);

        [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
        internal static partial nint Send(SafeHandle fd, byte* buffer, nuint length, int flags);

        [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
        internal static partial int GetSockOpt(SafeHandle fd, int level, int name, void* value, uint* length);

        [LibraryImport("libc", EntryPoint = "shutdown", SetLastError = true)]
        internal static partial int Shutdown(SafeHandle fd, int how);

        [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
        internal static partial int Close(int fd);
    }
}

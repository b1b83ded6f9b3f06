using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace ParallelGen.Transport;

/// <summary>
/// Who is at the other end of a connected Unix domain socket, as the kernel recorded it (Linux <c>SO_PEERCRED</c>):
/// the process id and effective user and group ids of the peer when it called <c>connect</c> or <c>listen</c>.
/// Unlike anything sent over the socket, these cannot be forged by the peer.
/// </summary>
internal readonly partial record struct PeerCredentials(int ProcessId, uint UserId, uint GroupId)
{
    /// <summary><c>getsockopt</c>'s level and option that ask for them: <c>SOL_SOCKET</c>, <c>SO_PEERCRED</c>.</summary>
    public const int SolSocket = 1;

    /// <inheritdoc cref="SolSocket"/>
    public const int SoPeerCred = 17;

    /// <summary>The size of what the kernel answers: <c>struct ucred { pid_t pid; uid_t uid; gid_t gid; }</c>.</summary>
    public const int UcredSize = 12;

    /// <summary>True where the kernel can tell: Linux. Elsewhere the socket lives in a directory only this user can enter.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>This process's effective user id.</summary>
    public static uint CurrentUserId => IsSupported ? NativeMethods.geteuid() : 0;

    /// <summary>The process id of this process's parent, as it is now (a reparented orphan gets init's or a subreaper's).</summary>
    public static int CurrentParentProcessId => IsSupported ? NativeMethods.getppid() : 0;

    /// <summary>The peer's credentials; false where the platform cannot tell (see <see cref="IsSupported"/>).</summary>
    /// <exception cref="SocketException">The socket is closed or not connected.</exception>
    public static bool TryGet(Socket socket, out PeerCredentials credentials)
    {
        credentials = default;
        if (!IsSupported)
        {
            return false;
        }

        Span<byte> ucred = stackalloc byte[UcredSize];
        return TryRead(ucred[..socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred)], out credentials);
    }

    /// <summary>Reads the <c>struct ucred</c> the kernel answered; false if it is not one whole.</summary>
    public static bool TryRead(ReadOnlySpan<byte> ucred, out PeerCredentials credentials)
    {
        credentials = default;
        if (ucred.Length != UcredSize)
        {
            return false;
        }

        credentials = new PeerCredentials(MemoryMarshal.Read<int>(ucred), MemoryMarshal.Read<uint>(ucred[4..]), MemoryMarshal.Read<uint>(ucred[8..]));
        return true;
    }

    public override string ToString() => $"pid {ProcessId}, uid {UserId}, gid {GroupId}";

    private static partial class NativeMethods
    {
        [LibraryImport("libc", EntryPoint = "geteuid")]
        internal static partial uint geteuid();

        [LibraryImport("libc", EntryPoint = "getppid")]
        internal static partial int getppid();
    }
}

using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace ParallelGen.SharedState.Hub;

/// <summary>
/// The kernel's word on who is at the other end of a Unix socket (<c>SO_PEERCRED</c>): a connection is served only
/// when the peer runs as this process's own user, whatever token it presents.
/// </summary>
internal static partial class PeerCredentials
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>True when the peer's uid is ours (always true where the kernel offers no such check).</summary>
    public static bool IsSameUser(Socket socket)
    {
        if (!OperatingSystem.IsLinux())
        {
            // Elsewhere the socket file lives in a 0700 directory (SocketAddress), which keeps other users out.
            return true;
        }

        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        Span<byte> credentials = stackalloc byte[12];
        int length = socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials);
        if (length < 12)
        {
            return false;
        }

        uint uid = MemoryMarshal.Read<uint>(credentials[4..]);
        return uid == geteuid();
    }

    [LibraryImport("libc")]
    private static partial uint geteuid();
}

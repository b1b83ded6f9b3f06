using System;
using System.IO;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace ParallelGen.Transport;

/// <summary>
/// Unix domain socket addresses for worker connections. On Linux the address is in the abstract namespace
/// (written <c>@name</c>): nothing on disk to clean up, and it vanishes with the listening process. Elsewhere
/// it is a socket file inside a fresh directory only this user can enter (0700).
/// </summary>
internal static class SocketAddress
{
    private const char AbstractPrefix = '@';

    /// <summary>Creates an unguessable address for a new listener.</summary>
    public static string CreateUnique()
    {
        string name = "parallelgen-" + Environment.ProcessId + "-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        if (OperatingSystem.IsLinux())
        {
            return AbstractPrefix + name;
        }

        string directory = Path.Combine(Path.GetTempPath(), name);
        if (OperatingSystem.IsWindows())
        {
            // The per-user temp directory already keeps other users out.
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return Path.Combine(directory, "s");
    }

    public static UnixDomainSocketEndPoint ToEndPoint(string address) =>
        new(address.Length > 0 && address[0] == AbstractPrefix ? "\0" + address[1..] : address);

    /// <summary>Removes the socket file and its directory, if the address has them.</summary>
    public static void Delete(string address)
    {
        if (address.Length == 0 || address[0] == AbstractPrefix)
        {
            return;
        }

        try
        {
            File.Delete(address);
            Directory.Delete(Path.GetDirectoryName(address)!);
        }
        catch (IOException)
        {
            // Already gone, or still in use by a dying peer; the temp directory is the user's own.
        }
    }

    public static Socket Connect(string address)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(ToEndPoint(address));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static Socket Listen(string address)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(ToEndPoint(address));
            socket.Listen(128);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

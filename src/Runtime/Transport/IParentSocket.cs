using System;

namespace ParallelGen.Transport;

/// <summary>
/// A worker's connected socket to its parent: frames travel on it (or only the handshake, when shared memory carries
/// the rest), and its end says the parent is gone. <see cref="LinuxStreamSocket"/> on Linux, <see cref="SocketLink"/>
/// elsewhere.
/// </summary>
internal interface IParentSocket : IByteLink, IDisposable
{
    /// <summary>Who listens at the other end, as the kernel recorded it; false where the platform cannot tell.</summary>
    bool TryGetPeerCredentials(out PeerCredentials credentials);
}

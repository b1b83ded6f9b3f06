using System;

namespace ParallelGen;

/// <summary>
/// Bytes on a worker connection did not form a valid frame (bad length, truncated frame, unknown kind,
/// or a peer from a different build). The connection is dropped and its worker replaced.
/// </summary>
public sealed class ProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong with the bytes.</param>
    public ProtocolException(string message)
        : base(message)
    {
    }
}

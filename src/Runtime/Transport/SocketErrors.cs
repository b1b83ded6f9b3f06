using System;
using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace ParallelGen.Transport;

/// <summary>
/// Whether an exception is a socket's failure, decided in a method of its own. A catch clause or filter that names
/// <see cref="SocketException"/> makes the runtime load System.Net.Primitives (and Microsoft.Win32.Primitives) as
/// soon as the method holding it first runs; a worker, whose socket on Linux needs neither, then pays for both in
/// resident memory although it never sees a socket error. Here they load only when an exception is examined.
/// </summary>
internal static class SocketErrors
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool IsSocketError(Exception exception) => exception is SocketException;

    /// <summary>Throws what a socket throws when the other side has gone (for the shared-memory rings, which stand in for one).</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowConnectionReset() => throw new SocketException((int)SocketError.ConnectionReset);
}

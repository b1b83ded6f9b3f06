using System.Buffers;
using System.Threading;

namespace ParallelGen.Serialization;

/// <summary>
/// Where frame and payload buffers come from. Small ones use the shared pool. Large ones (argument arrays of
/// megabytes) use a pool without per-thread caches: they are rented by one thread (a socket reader) and returned
/// by another (the caller or executor), and the shared pool's thread-local slots would then miss every time,
/// allocating fresh arrays whose first-touch page faults cost more than the copy itself.
/// </summary>
internal static class ByteBuffers
{
    private const int LargeThreshold = 1024 * 1024;
    private static ArrayPool<byte> s_large = CreateLargePool();

    /// <summary>True for a buffer of this many bytes that comes from the pool of large buffers.</summary>
    public static bool IsLarge(int length) => length > LargeThreshold;

    public static byte[] Rent(int minimumLength) =>
        minimumLength > LargeThreshold ? Volatile.Read(ref s_large).Rent(minimumLength) : ArrayPool<byte>.Shared.Rent(minimumLength);

    /// <summary>Forgets the pooled large buffers (the garbage collector takes them); buffers rented now come back to a new pool.</summary>
    public static void DropLarge() => Volatile.Write(ref s_large, CreateLargePool());

    private static ArrayPool<byte> CreateLargePool() => ArrayPool<byte>.Create(maxArrayLength: 1024 * 1024 * 1024, maxArraysPerBucket: 2);

    public static void Return(byte[] buffer)
    {
        if (buffer.Length > LargeThreshold)
        {
            Volatile.Read(ref s_large).Return(buffer);
        }
        else
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

using System;
using System.Collections.Generic;
using ParallelGen.Transport;
using ParallelGen.Transport.SharedMemory;

namespace ParallelGen.SharedState.Memory;

/// <summary>
/// Which shared memory this process owns (by name, weakly: decoding in the owner's process hands back the original
/// object) and which it has mapped from other processes (one mapping per block, shared by every argument that
/// names it). A mapping is dropped once its owner no longer holds the block: checked whenever another block is
/// decoded, which in a worker happens between calls.
/// </summary>
internal static class SharedMemoryRegistry
{
    private static readonly Dictionary<string, WeakReference<object>> s_owned = new();
    private static readonly Dictionary<string, Mapped> s_mapped = new();

    public static void RegisterOwned(string name, object owner)
    {
        lock (s_owned)
        {
            s_owned[name] = new WeakReference<object>(owner);
        }
    }

    public static void ForgetOwned(string name)
    {
        lock (s_owned)
        {
            s_owned.Remove(name);
        }
    }

    /// <summary>The owner's own object for <paramref name="name"/>, when this process created it and it is not disposed.</summary>
    public static object? FindOwned(string name)
    {
        lock (s_owned)
        {
            return s_owned.TryGetValue(name, out WeakReference<object>? owner) && owner.TryGetTarget(out object? target) ? target : null;
        }
    }

    /// <summary>This process's mapping of the block process <paramref name="pid"/> holds as <paramref name="fd"/>.</summary>
    public static SharedMemoryBlock Map(int pid, int fd, string name, long byteLength)
    {
        lock (s_mapped)
        {
            DropStale();
            if (s_mapped.TryGetValue(name, out Mapped? mapped) && mapped.Block.ByteLength >= byteLength)
            {
                return mapped.Block;
            }

            SharedMemoryBlock block = SharedMemoryBlock.Open(pid, fd, name, byteLength);
            s_mapped[name] = new Mapped(pid, fd, block);
            return block;
        }
    }

    private static void DropStale()
    {
        List<string>? stale = null;
        foreach ((string name, Mapped mapped) in s_mapped)
        {
            if (!SharedMemoryBlock.Holds(SharedMemoryBlock.FdLink(DecimalDigits.Format(mapped.Pid), mapped.Fd), name))
            {
                (stale ??= []).Add(name);
            }
        }

        foreach (string name in stale ?? [])
        {
            s_mapped.Remove(name, out Mapped? mapped);
            mapped!.Block.Dispose();
        }
    }

    private sealed record Mapped(int Pid, int Fd, SharedMemoryBlock Block);
}

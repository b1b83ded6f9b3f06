using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MemoryPack;
using ParallelGen.Serialization;

namespace ParallelGen.Handles;

/// <summary>
/// Argument sets and results of an unmanaged type (no references anywhere inside: numbers, enums, and tuples and
/// structs of them) travel as their raw memory, one block copy per chunk, instead of one MemoryPack call per item.
/// MemoryPack copies such values as raw memory itself (its unmanaged formatter; a whole array of them in one block),
/// so the bytes differ from the per-item path only for tuples, whose padding travels too. Both ends of a call run
/// <see cref="RemoteCall{TArgs, TResult}"/>, so this layout never leaves the library.
/// </summary>
/// <remarks>
/// <see cref="Applies{T}"/> is a constant to the JIT and to NativeAOT, so each <c>RemoteCall</c> instantiation keeps
/// only the path it uses. No unaligned access happens here: a frame's payload has no alignment, so blocks are
/// copied as bytes (<see cref="Span{T}.CopyTo"/>) and single values written with <see cref="Unsafe.WriteUnaligned{T}(ref byte, T)"/>.
/// </remarks>
internal static class UnmanagedBlock
{
    /// <summary>Caps one request for room in a result buffer, so a huge chunk never asks for one giant span.</summary>
    private const int MaxRoomBytes = 1 << 20;

    /// <summary>True when values of <typeparamref name="T"/> can be copied as raw memory.</summary>
    public static bool Applies<T>() => !RuntimeHelpers.IsReferenceOrContainsReferences<T>();

    /// <summary>The memory of <paramref name="items"/> (only for a <typeparamref name="T"/> that <see cref="Applies{T}"/> to).</summary>
    /// <exception cref="OverflowException">The items take more than 2 GB.</exception>
    public static ReadOnlySpan<byte> AsBytes<T>(ReadOnlySpan<T> items) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(items)), checked(items.Length * Unsafe.SizeOf<T>()));

    /// <inheritdoc cref="AsBytes{T}(ReadOnlySpan{T})"/>
    public static Span<byte> AsBytes<T>(Span<T> items) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(items)), checked(items.Length * Unsafe.SizeOf<T>()));

    /// <summary>Bytes <paramref name="count"/> values of <typeparamref name="T"/> take (a <c>long</c>: a bad count cannot overflow it).</summary>
    public static long SizeOf<T>(int count) => (long)count * Unsafe.SizeOf<T>();

    /// <summary>
    /// Room in <paramref name="buffer"/> for up to <paramref name="remaining"/> values (at least one, at most about
    /// <see cref="MaxRoomBytes"/> when there are more), to be written with <see cref="Put{T}"/> and then advanced.
    /// </summary>
    public static Span<byte> Room<T>(PayloadBuffer buffer, int remaining) =>
        buffer.GetSpan((int)Math.Max(Unsafe.SizeOf<T>(), Math.Min(SizeOf<T>(remaining), MaxRoomBytes)));

    /// <summary>Writes <paramref name="value"/> at <paramref name="offset"/> in <paramref name="room"/>; returns the offset after it.</summary>
    public static int Put<T>(Span<byte> room, int offset, T value)
    {
        int size = Unsafe.SizeOf<T>();
        Unsafe.WriteUnaligned(ref room.Slice(offset, size)[0], value);
        return offset + size;
    }

    /// <summary>Appends one value to <paramref name="buffer"/>.</summary>
    public static void Append<T>(PayloadBuffer buffer, T value) =>
        buffer.Advance(Put(buffer.GetSpan(Unsafe.SizeOf<T>()), 0, value));

    /// <summary>
    /// Reports a block of arguments whose size is not <paramref name="count"/> sets of <paramref name="setSize"/> bytes.
    /// Thrown from here so that the methods on the unmanaged path never name MemoryPack's exception: compiling them
    /// would load MemoryPack into a worker that has no other use for it.
    /// </summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowSizeMismatch(string signature, int count, int setSize, int actualBytes)
    {
        long expected = (long)count * setSize;
        string mismatch = actualBytes > expected ? $"had {actualBytes - expected} unread bytes" : $"were {expected - actualBytes} bytes short";
        throw new MemoryPackSerializationException(
            $"The arguments for {signature} ({count} sets of {setSize} bytes) {mismatch}: parent and worker disagree on the signature.");
    }
}

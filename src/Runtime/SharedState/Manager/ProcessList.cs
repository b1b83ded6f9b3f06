using System;
using ParallelGen.Channels;
using ParallelGen.Serialization;
using ParallelGen.SharedState.Hub;
using ParallelGen.SharedState.Manager;

namespace ParallelGen;

/// <summary>
/// A list that lives in the process that created it and that workers change through a proxy (Python's
/// <c>Manager().list()</c>). Each operation is one atomic step across all processes.
/// </summary>
/// <typeparam name="T">The item type; MemoryPack-serializable.</typeparam>
public sealed class ProcessList<T> : IDisposable
{
    private const string Name = "ProcessList";
    private readonly HubRef _ref;

    /// <summary>Creates an empty list owned by this process.</summary>
    public ProcessList()
    {
        var state = new ListState<T>(SharedStateHub.Current) { Owner = this };
        _ref = state.Hub.RefTo(state.Id);
    }

    internal ProcessList(HubRef reference)
    {
        _ref = reference;
    }

    internal HubRef Reference => _ref;

    /// <summary>Gets or sets the item at <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the list as it is now.</exception>
    public T this[int index]
    {
        get => ChannelItemCodec.Decode<T>(Checked(_ref.Call(ListState<T>.Get, BitConverter.GetBytes(index))).Payload);
        set => Checked(_ref.Call(ListState<T>.Set, PayloadPair.Join(index, value)));
    }

    /// <summary>The number of items now.</summary>
    public int Count => BitConverter.ToInt32(Checked(_ref.Call(ListState<T>.Count)).Payload);

    /// <summary>Appends an item.</summary>
    /// <returns>The index it got.</returns>
    public int Add(T item) => BitConverter.ToInt32(Checked(_ref.Call(ListState<T>.Add, MemoryPackStates.Serialize(item))).Payload);

    /// <summary>Inserts an item at <paramref name="index"/> (0 to <see cref="Count"/>).</summary>
    public void Insert(int index, T item) => Checked(_ref.Call(ListState<T>.Insert, PayloadPair.Join(index, item)));

    /// <summary>Removes the item at <paramref name="index"/>.</summary>
    public void RemoveAt(int index) => Checked(_ref.Call(ListState<T>.RemoveAt, BitConverter.GetBytes(index)));

    /// <summary>Removes every item.</summary>
    public void Clear() => Checked(_ref.Call(ListState<T>.Clear));

    /// <summary>A copy of the items as they are now.</summary>
    public T[] ToArray() => ChannelItemCodec.Decode<T[]>(Checked(_ref.Call(ListState<T>.Snapshot)).Payload);

    /// <summary>Releases the list in its owner's process; workers' proxies then throw <see cref="ObjectDisposedException"/>. In a worker it does nothing.</summary>
    public void Dispose() => _ref.DisposeIfOwned();

    private static HubReply Checked(HubReply reply)
    {
        if (reply.Status == HubStatus.NotFound)
        {
            throw new ArgumentOutOfRangeException("index", SharedStateErrors.Message(reply));
        }

        SharedStateErrors.ThrowIfFailed(reply, Name);
        return reply;
    }
}

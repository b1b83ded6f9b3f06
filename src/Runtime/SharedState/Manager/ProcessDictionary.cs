using System;
using System.Collections.Generic;
using ParallelGen.Channels;
using ParallelGen.Serialization;
using ParallelGen.SharedState.Hub;
using ParallelGen.SharedState.Manager;

namespace ParallelGen;

/// <summary>
/// A dictionary that lives in the process that created it and that workers read and change through a proxy (Python's
/// <c>Manager().dict()</c>). Each operation is one atomic step across all processes; there is no code shipped to the
/// owner, so read-modify-write is done with <see cref="TryAdd"/>, <see cref="GetOrAdd"/>, <see cref="AddOrUpdate"/>
/// and <see cref="TryUpdate"/> (compare-and-swap). Keys compare with the default equality of <typeparamref name="TKey"/>.
/// </summary>
/// <typeparam name="TKey">The key type; MemoryPack-serializable.</typeparam>
/// <typeparam name="TValue">The value type; MemoryPack-serializable.</typeparam>
public sealed class ProcessDictionary<TKey, TValue> : IDisposable
    where TKey : notnull
{
    private const string Name = "ProcessDictionary";
    private readonly HubRef _ref;

    /// <summary>Creates an empty dictionary owned by this process.</summary>
    public ProcessDictionary()
    {
        var state = new DictionaryState<TKey, TValue>(SharedStateHub.Current) { Owner = this };
        _ref = state.Hub.RefTo(state.Id);
    }

    internal ProcessDictionary(HubRef reference)
    {
        _ref = reference;
    }

    internal HubRef Reference => _ref;

    /// <summary>Gets or sets the value of <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">Getting a key that is not there.</exception>
    public TValue this[TKey key]
    {
        get
        {
            HubReply reply = _ref.Call(DictionaryState<TKey, TValue>.Get, MemoryPackStates.Serialize(key));
            if (reply.Status == HubStatus.NotFound)
            {
                throw new KeyNotFoundException($"The key '{key}' is not in the dictionary.");
            }

            return Value(reply);
        }

        set => Check(_ref.Call(DictionaryState<TKey, TValue>.Set, PayloadPair.Join(key, value)));
    }

    /// <summary>The number of entries now.</summary>
    public int Count => BitConverter.ToInt32(Checked(_ref.Call(DictionaryState<TKey, TValue>.Count)).Payload);

    /// <summary>Gets the value of <paramref name="key"/> if it is there.</summary>
    public bool TryGetValue(TKey key, out TValue value)
    {
        HubReply reply = _ref.Call(DictionaryState<TKey, TValue>.Get, MemoryPackStates.Serialize(key));
        if (reply.Status == HubStatus.NotFound)
        {
            value = default!;
            return false;
        }

        value = Value(reply);
        return true;
    }

    /// <summary>True when <paramref name="key"/> is there.</summary>
    public bool ContainsKey(TKey key) => Checked(_ref.Call(DictionaryState<TKey, TValue>.ContainsKey, MemoryPackStates.Serialize(key))).IsTrue;

    /// <summary>Adds the entry unless the key is there already.</summary>
    /// <returns>True if this call added it.</returns>
    public bool TryAdd(TKey key, TValue value) => Checked(_ref.Call(DictionaryState<TKey, TValue>.TryAdd, PayloadPair.Join(key, value))).IsTrue;

    /// <summary>Removes the entry of <paramref name="key"/>.</summary>
    /// <returns>True if it was there.</returns>
    public bool Remove(TKey key) => Checked(_ref.Call(DictionaryState<TKey, TValue>.Remove, MemoryPackStates.Serialize(key))).IsTrue;

    /// <summary>Adds <paramref name="value"/> unless the key is there, in one step.</summary>
    /// <returns>The value now stored for the key.</returns>
    public TValue GetOrAdd(TKey key, TValue value) => Value(_ref.Call(DictionaryState<TKey, TValue>.GetOrAdd, PayloadPair.Join(key, value)));

    /// <summary>Stores <paramref name="addValue"/> if the key is missing, else <paramref name="updateValue"/>, in one step.</summary>
    /// <returns>The value now stored for the key.</returns>
    public TValue AddOrUpdate(TKey key, TValue addValue, TValue updateValue) =>
        Value(_ref.Call(DictionaryState<TKey, TValue>.AddOrUpdate, PayloadPair.Join(key, addValue, updateValue)));

    /// <summary>Replaces the value of <paramref name="key"/> with <paramref name="newValue"/> only if it equals <paramref name="comparisonValue"/> (compare-and-swap).</summary>
    /// <returns>True if the value was replaced.</returns>
    public bool TryUpdate(TKey key, TValue newValue, TValue comparisonValue) =>
        Checked(_ref.Call(DictionaryState<TKey, TValue>.TryUpdate, PayloadPair.Join(key, newValue, comparisonValue))).IsTrue;

    /// <summary>Removes every entry.</summary>
    public void Clear() => Check(_ref.Call(DictionaryState<TKey, TValue>.Clear));

    /// <summary>A copy of the entries as they are now, in the order they were first added.</summary>
    public Dictionary<TKey, TValue> ToDictionary()
    {
        List<KeyValuePair<TKey, TValue>> entries = ChannelItemCodec.Decode<List<KeyValuePair<TKey, TValue>>>(
            Checked(_ref.Call(DictionaryState<TKey, TValue>.Snapshot)).Payload);
        return new Dictionary<TKey, TValue>(entries);
    }

    /// <summary>Releases the dictionary in its owner's process; workers' proxies then throw <see cref="ObjectDisposedException"/>. In a worker it does nothing.</summary>
    public void Dispose() => _ref.DisposeIfOwned();

    private static TValue Value(HubReply reply) => ChannelItemCodec.Decode<TValue>(Checked(reply).Payload);

    private static HubReply Checked(HubReply reply)
    {
        SharedStateErrors.ThrowIfFailed(reply, Name);
        return reply;
    }

    private static void Check(HubReply reply) => SharedStateErrors.ThrowIfFailed(reply, Name);
}

using System;
using System.Collections.Generic;
using ParallelGen.Serialization;
using ParallelGen.SharedState.Hub;

namespace ParallelGen.SharedState.Manager;

/// <summary>The dictionary behind a <see cref="ProcessDictionary{TKey, TValue}"/>, in the process that created it. Keys compare with the default comparer.</summary>
internal sealed class DictionaryState<TKey, TValue> : HubObject
    where TKey : notnull
{
    public const byte Get = 1;
    public const byte Set = 2;
    public const byte TryAdd = 3;
    public const byte Remove = 4;
    public const byte ContainsKey = 5;
    public const byte Count = 6;
    public const byte Snapshot = 7;
    public const byte GetOrAdd = 8;
    public const byte AddOrUpdate = 9;
    public const byte TryUpdate = 10;
    public const byte Clear = 11;

    private readonly Dictionary<TKey, TValue> _items = new();

    public DictionaryState(SharedStateHub hub)
        : base(hub)
    {
    }

    protected override void HandleLocked(byte op, ReadOnlySpan<byte> payload, int timeoutMs, HubWaiter waiter)
    {
        switch (op)
        {
            case Get:
                if (_items.TryGetValue(PayloadPair.Decode<TKey>(payload), out TValue? found))
                {
                    waiter.TryComplete(HubStatus.Ok, Encode(found));
                }
                else
                {
                    waiter.TryComplete(HubStatus.NotFound);
                }

                break;
            case Set:
            {
                (TKey key, TValue value) = PayloadPair.Split<TKey, TValue>(payload);
                _items[key] = value;
                waiter.TryComplete(HubStatus.Ok);
                break;
            }

            case TryAdd:
            {
                (TKey key, TValue value) = PayloadPair.Split<TKey, TValue>(payload);
                waiter.TryComplete(HubStatus.Ok, Bool(_items.TryAdd(key, value)));
                break;
            }

            case Remove:
                waiter.TryComplete(HubStatus.Ok, Bool(_items.Remove(PayloadPair.Decode<TKey>(payload))));
                break;
            case ContainsKey:
                waiter.TryComplete(HubStatus.Ok, Bool(_items.ContainsKey(PayloadPair.Decode<TKey>(payload))));
                break;
            case Count:
                waiter.TryComplete(HubStatus.Ok, BitConverter.GetBytes(_items.Count));
                break;
            case Snapshot:
                waiter.TryComplete(HubStatus.Ok, MemoryPackStates.Serialize(new List<KeyValuePair<TKey, TValue>>(_items)));
                break;
            case GetOrAdd:
            {
                (TKey key, TValue value) = PayloadPair.Split<TKey, TValue>(payload);
                waiter.TryComplete(HubStatus.Ok, Encode(_items.TryAdd(key, value) ? value : _items[key]));
                break;
            }

            case AddOrUpdate:
            {
                (TKey key, TValue addValue, TValue updateValue) = PayloadPair.Split<TKey, TValue, TValue>(payload);
                TValue result = _items.ContainsKey(key) ? updateValue : addValue;
                _items[key] = result;
                waiter.TryComplete(HubStatus.Ok, Encode(result));
                break;
            }

            case TryUpdate:
            {
                (TKey key, TValue newValue, TValue comparison) = PayloadPair.Split<TKey, TValue, TValue>(payload);
                bool replace = _items.TryGetValue(key, out TValue? current) && EqualityComparer<TValue>.Default.Equals(current, comparison);
                if (replace)
                {
                    _items[key] = newValue;
                }

                waiter.TryComplete(HubStatus.Ok, Bool(replace));
                break;
            }

            case Clear:
                _items.Clear();
                waiter.TryComplete(HubStatus.Ok);
                break;
            default:
                waiter.TryComplete(HubStatus.Error, SharedStateErrors.Text($"Unknown dictionary operation {op}."));
                break;
        }
    }

    private static byte[] Encode(TValue? value) => MemoryPackStates.Serialize(value);
}

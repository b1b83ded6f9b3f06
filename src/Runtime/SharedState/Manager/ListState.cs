using System;
using System.Collections.Generic;
using ParallelGen.Serialization;
using ParallelGen.SharedState.Hub;

namespace ParallelGen.SharedState.Manager;

/// <summary>The list behind a <see cref="ProcessList{T}"/>, in the process that created it.</summary>
internal sealed class ListState<T> : HubObject
{
    public const byte Add = 1;
    public const byte Get = 2;
    public const byte Set = 3;
    public const byte Count = 4;
    public const byte Insert = 5;
    public const byte RemoveAt = 6;
    public const byte Snapshot = 7;
    public const byte Clear = 8;

    private readonly List<T> _items = [];

    public ListState(SharedStateHub hub)
        : base(hub)
    {
    }

    protected override void HandleLocked(byte op, ReadOnlySpan<byte> payload, int timeoutMs, HubWaiter waiter)
    {
        switch (op)
        {
            case Add:
                _items.Add(PayloadPair.Decode<T>(payload));
                waiter.TryComplete(HubStatus.Ok, BitConverter.GetBytes(_items.Count - 1));
                break;
            case Get or RemoveAt:
            {
                int index = BitConverter.ToInt32(payload);
                if (!InRange(index, _items.Count, waiter))
                {
                    break;
                }

                if (op == Get)
                {
                    waiter.TryComplete(HubStatus.Ok, MemoryPackStates.Serialize(_items[index]));
                }
                else
                {
                    _items.RemoveAt(index);
                    waiter.TryComplete(HubStatus.Ok);
                }

                break;
            }

            case Set:
            {
                (int index, T item) = PayloadPair.Split<int, T>(payload);
                if (InRange(index, _items.Count, waiter))
                {
                    _items[index] = item;
                    waiter.TryComplete(HubStatus.Ok);
                }

                break;
            }

            case Insert:
            {
                (int index, T item) = PayloadPair.Split<int, T>(payload);
                if (InRange(index, _items.Count + 1, waiter))
                {
                    _items.Insert(index, item);
                    waiter.TryComplete(HubStatus.Ok);
                }

                break;
            }

            case Count:
                waiter.TryComplete(HubStatus.Ok, BitConverter.GetBytes(_items.Count));
                break;
            case Snapshot:
                waiter.TryComplete(HubStatus.Ok, MemoryPackStates.Serialize(_items.ToArray()));
                break;
            case Clear:
                _items.Clear();
                waiter.TryComplete(HubStatus.Ok);
                break;
            default:
                waiter.TryComplete(HubStatus.Error, SharedStateErrors.Text($"Unknown list operation {op}."));
                break;
        }
    }

    /// <summary>True when <paramref name="index"/> is below <paramref name="count"/>; otherwise answers <see cref="HubStatus.NotFound"/>.</summary>
    private static bool InRange(int index, int count, HubWaiter waiter)
    {
        if ((uint)index < (uint)count)
        {
            return true;
        }

        waiter.TryComplete(HubStatus.NotFound, SharedStateErrors.Text($"Index {index} is out of range: the list has {count} items."));
        return false;
    }
}

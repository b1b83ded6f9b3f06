using System;
using System.Collections.Generic;

namespace ParallelGen.Scheduling;

/// <summary>
/// Tasks in order on a ring buffer: the scheduler's queue and a worker's calls in flight. Adding and taking at
/// either end allocates nothing per task (a linked list allocated a node for each, twice per task, which a
/// map of tens of thousands of one-item chunks turned into megabytes that lived until the map was done).
/// Not thread-safe: guarded by the scheduler's lock.
/// </summary>
internal sealed class TaskDeque
{
    /// <summary>Slots kept when the deque empties; a larger buffer, left from a huge map, goes back to the collector.</summary>
    private const int RetainedCapacity = 64 * 1024;

    private const int InitialCapacity = 8;

    private PoolTask?[] _items = new PoolTask?[InitialCapacity];
    private int _head;
    private int _count;

    public int Count => _count;

    /// <summary>The first task, or null when empty.</summary>
    public PoolTask? First => _count == 0 ? null : _items[_head];

    /// <summary>The task at <paramref name="index"/> from the front.</summary>
    public PoolTask this[int index] => _items[Slot(index)]!;

    public void AddLast(PoolTask task)
    {
        if (_count == _items.Length)
        {
            Grow();
        }

        _items[Slot(_count)] = task;
        _count++;
    }

    public void AddFirst(PoolTask task)
    {
        if (_count == _items.Length)
        {
            Grow();
        }

        _head = (_head - 1) & (_items.Length - 1);
        _items[_head] = task;
        _count++;
    }

    /// <summary>Takes the first task off; the deque must not be empty.</summary>
    public PoolTask RemoveFirst()
    {
        PoolTask task = _items[_head]!;
        _items[_head] = null;
        _head = (_head + 1) & (_items.Length - 1);
        _count--;
        if (_count == 0)
        {
            Emptied();
        }

        return task;
    }

    /// <summary>Takes the task at <paramref name="index"/> out, keeping the order of the others.</summary>
    public void RemoveAt(int index)
    {
        if (index == 0)
        {
            RemoveFirst();
            return;
        }

        for (int i = index; i < _count - 1; i++)
        {
            _items[Slot(i)] = _items[Slot(i + 1)];
        }

        _items[Slot(_count - 1)] = null;
        _count--;
    }

    /// <summary>Takes <paramref name="task"/> out if it is here.</summary>
    public bool Remove(PoolTask task)
    {
        for (int i = 0; i < _count; i++)
        {
            if (ReferenceEquals(this[i], task))
            {
                RemoveAt(i);
                return true;
            }
        }

        return false;
    }

    /// <summary>Appends every task, in order, to <paramref name="destination"/>.</summary>
    public void CopyTo(List<PoolTask> destination)
    {
        destination.EnsureCapacity(destination.Count + _count);
        for (int i = 0; i < _count; i++)
        {
            destination.Add(this[i]);
        }
    }

    public void Clear()
    {
        Array.Clear(_items);
        _head = 0;
        _count = 0;
        Emptied();
    }

    private int Slot(int index) => (_head + index) & (_items.Length - 1);

    /// <summary>Doubles the buffer (its length stays a power of two, so a slot is an index masked).</summary>
    private void Grow()
    {
        var larger = new PoolTask?[_items.Length * 2];
        for (int i = 0; i < _count; i++)
        {
            larger[i] = _items[Slot(i)];
        }

        _items = larger;
        _head = 0;
    }

    private void Emptied()
    {
        _head = 0;
        if (_items.Length > RetainedCapacity)
        {
            _items = new PoolTask?[InitialCapacity];
        }
    }
}

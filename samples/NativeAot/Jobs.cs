using System;
using System.Collections.Generic;
using System.Linq;
using MemoryPack;
using ParallelGen;

namespace NativeAot;

/// <summary>An order, serialized by MemoryPack's generated formatter.</summary>
[MemoryPackable]
public partial record Order(string Id, double[] Prices);

/// <summary>The work; each method runs in a worker, which is this same native executable started again.</summary>
public static partial class Jobs
{
    /// <summary>A primitive argument and result.</summary>
    [ProcessParallel]
    public static int Square(int x) => x * x;

    /// <summary>Which process ran the call.</summary>
    [ProcessParallel]
    public static int WorkerId() => Environment.ProcessId;

    /// <summary>A [MemoryPackable] record argument.</summary>
    [ProcessParallel]
    public static double Total(Order order) => order.Prices.Sum();

    /// <summary>A closed generic collection of records: MemoryPack builds its formatter with reflection unless one is registered.</summary>
    [ProcessParallel]
    public static int CountOrders(List<Order> orders) => orders.Count;

    /// <summary>An array of records and a tuple result.</summary>
    [ProcessParallel]
    public static (int Count, string First) Describe(Order[] orders) => (orders.Length, orders[0].Id);

    /// <summary>A dictionary argument.</summary>
    [ProcessParallel]
    public static int SumValues(Dictionary<string, int> values) => values.Values.Sum();
}

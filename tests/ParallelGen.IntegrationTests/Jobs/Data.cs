using System;
using System.Collections.Generic;
using System.Linq;
using MemoryPack;

namespace ParallelGen.IntegrationTests.Jobs;

public enum Priority
{
    Low,
    Normal,
    High,
}

[MemoryPackable]
public partial record OrderLine(string Sku, int Quantity, decimal Price);

[MemoryPackable]
public partial record Order(Guid Id, string Customer, List<OrderLine> Lines, DateTime PlacedAt, Priority Priority, string? Note);

[MemoryPackable]
public partial record Invoice(Guid OrderId, string Customer, decimal Total, DateTime DueAt, Priority Priority, Dictionary<string, int> QuantityBySku, int WorkerProcessId);

/// <summary>Arguments and results of every kind MemoryPack formats: records, collections, tuples, enums, dates, ids, nullables.</summary>
public static partial class DataJobs
{
    /// <summary>A <c>[MemoryPackable]</c> record in, another out.</summary>
    [ProcessParallel]
    public static Invoice Bill(Order order) => new(
        order.Id,
        order.Customer,
        order.Lines.Sum(line => line.Quantity * line.Price),
        order.PlacedAt.AddDays(30),
        order.Priority == Priority.High ? Priority.High : Priority.Normal,
        order.Lines.GroupBy(line => line.Sku).ToDictionary(group => group.Key, group => group.Sum(line => line.Quantity)),
        Environment.ProcessId);

    [ProcessParallel]
    public static Dictionary<string, int> CountWords(List<string> words) =>
        words.GroupBy(word => word, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);

    [ProcessParallel]
    public static List<int> Lengths(Dictionary<string, string> map) =>
        map.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Value.Length).ToList();

    /// <summary>A single parameter that is itself a tuple; a tuple result.</summary>
    [ProcessParallel]
    public static (int Number, string Text) Swap((string Text, int Number) pair) => (pair.Number, pair.Text);

    [ProcessParallel]
    public static Priority Escalate(Priority priority) => priority == Priority.High ? Priority.High : priority + 1;

    /// <summary><c>DateTime</c> (keeping its <c>Kind</c>) and a <c>TimeSpan</c>.</summary>
    [ProcessParallel]
    public static DateTime Shift(DateTime when, TimeSpan by) => when + by;

    [ProcessParallel]
    public static string FormatGuid(Guid id) => id.ToString("N");

    [ProcessParallel]
    public static Guid[] Ids(int count) => Enumerable.Range(1, count).Select(i => new Guid(i, 0, 0, new byte[8])).ToArray();

    /// <summary>A nullable reference parameter and result: null crosses the boundary as null.</summary>
    [ProcessParallel]
    public static string? Greet(string? name) => name is null ? null : "hi " + name;

    /// <summary>A nullable value type parameter and result.</summary>
    [ProcessParallel]
    public static int? Length(string? text, int? fallback) => text?.Length ?? fallback;

    /// <summary>A large array: a few megabytes in one frame each way.</summary>
    [ProcessParallel]
    public static byte[] Reverse(byte[] data)
    {
        byte[] copy = (byte[])data.Clone();
        Array.Reverse(copy);
        return copy;
    }
}

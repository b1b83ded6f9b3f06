using System;
using System.Collections.Generic;
using System.Diagnostics;
using ParallelGen;

namespace NativeAot;

/// <summary>The NativeAOT sample: the first line of Main hands worker processes to the pool.</summary>
public static class Program
{
    /// <summary>Entry point of the app and of its workers.</summary>
    public static int Main(string[] args)
    {
        // Single-file and NativeAOT apps start themselves again as workers: this returns at once in the app,
        // and never returns in a worker.
        ProcessWorker.RunIfWorker(args);
        if (args.Length > 0 && args[0] == StartBench.Flag)
        {
            return StartBench.Run(args); // samples/Benchmarks' case (e) for this published app
        }

        int processes = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2;
        var watch = Stopwatch.StartNew();
        using var pool = new ProcessPool(processes);
        int first = pool.Apply(Jobs.Remote.Square, 7);
        TimeSpan firstResult = watch.Elapsed;
        Console.WriteLine($"Square(7) = {first}; new pool of {processes} -> first result: {firstResult.TotalMilliseconds:F1} ms");

        int worker = pool.Apply(Jobs.Remote.WorkerId);
        Console.WriteLine($"parent {Environment.ProcessId}, worker {worker}");
        Run("Total(Order)", () => pool.Apply(Jobs.Remote.Total, new Order("A-1", [1.5, 2.5, 3])).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Run("CountOrders(List<Order>)", () => pool.Apply(Jobs.Remote.CountOrders, new List<Order> { new("x", []), new("y", [1]) }).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Run("Describe(Order[]) -> (int, string)", () => pool.Apply(Jobs.Remote.Describe, new[] { new Order("z", []) }).ToString());
        Run("SumValues(Dictionary<string,int>)", () => pool.Apply(Jobs.Remote.SumValues, new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Run("Map(Square)", () => string.Join(",", pool.Map(Jobs.Remote.Square, new[] { 1, 2, 3, 4 })));
        return 0;
    }

    private static void Run(string name, Func<string> call)
    {
        try
        {
            Console.WriteLine($"{name} = {call()}");
        }
        catch (Exception exception)
        {
            Console.WriteLine($"{name} FAILED: {exception.GetType().Name}: {exception.Message}");
        }
    }
}

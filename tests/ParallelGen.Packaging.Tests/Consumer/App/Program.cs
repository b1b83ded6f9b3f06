using Consumer.Lib;
using ParallelGen;

namespace Consumer.App;

public static class Program
{
    public static int Main(string[] args)
    {
#if WORKER_HOOK
        ProcessWorker.RunIfWorker(args);
#endif
        int parent = Environment.ProcessId;
        using var pool = new ProcessPool(2);
        Console.WriteLine($"square:{pool.Apply(AppJobs.Remote.Square, 7)}");
        Console.WriteLine($"map:{string.Join(",", pool.Map(AppJobs.Remote.Square, new[] { 1, 2, 3, 4 }))}");
        Console.WriteLine($"worker-is-child:{pool.Apply(AppJobs.Remote.WorkerId) != parent}");

        Receipt receipt = pool.Apply(AppJobs.Remote.Total, new Order("A-1", [1.5, 2.5, 3]));
        Console.WriteLine($"receipt:{receipt.Id}:{receipt.Total}:{receipt.Worker != parent}");
        Console.WriteLine($"orders:{pool.Apply(AppJobs.Remote.CountOrders, new List<Order> { new("x", []), new("y", [1]) })}");
        Console.WriteLine($"async:{pool.ApplyAsync(AppJobs.Remote.EchoAsync, "hi").Get()}");

        Console.WriteLine($"lib:{pool.Apply(TextJobs.Remote.Shout, "hello")}");
        Console.WriteLine($"lib-worker-is-child:{pool.Apply(TextJobs.Remote.LibraryWorkerId) != parent}");
        Console.WriteLine($"mode:{args.FirstOrDefault() ?? "none"}");
        Console.WriteLine("done");
        return 0;
    }
}

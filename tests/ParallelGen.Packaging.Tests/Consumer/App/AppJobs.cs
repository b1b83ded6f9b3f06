using MemoryPack;
using ParallelGen;

namespace Consumer.App;

[MemoryPackable]
public partial record Order(string Id, double[] Prices);

[MemoryPackable]
public partial record Receipt(string Id, double Total, int Worker);

public static partial class AppJobs
{
    [ProcessParallel]
    public static int Square(int x) => x * x;

    [ProcessParallel]
    public static int WorkerId() => Environment.ProcessId;

    [ProcessParallel]
    public static Receipt Total(Order order) => new(order.Id, order.Prices.Sum(), Environment.ProcessId);

    [ProcessParallel]
    public static int CountOrders(List<Order> orders) => orders.Count;

    [ProcessParallel]
    public static async Task<string> EchoAsync(string text)
    {
        await Task.Yield();
        return "echo:" + text;
    }
}

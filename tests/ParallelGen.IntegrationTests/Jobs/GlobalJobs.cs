using ParallelGen;

// Deliberately outside any namespace: the generated Remote class must not open one.
#pragma warning disable CA1050 // Declare types in namespaces

/// <summary>An internal static partial class in the global namespace, with an internal method.</summary>
internal static partial class GlobalJobs
{
    [ProcessParallel]
    internal static string Hello(string name) => "hello " + name;
}

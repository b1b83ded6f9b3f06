using ParallelGen;

namespace Consumer.Lib;

/// <summary>[ProcessParallel] methods declared in a class library and called from the app.</summary>
public static partial class TextJobs
{
    [ProcessParallel]
    public static string Shout(string text) => text.ToUpperInvariant() + "!";

    [ProcessParallel]
    public static int LibraryWorkerId() => Environment.ProcessId;
}

using System;

namespace ParallelGen;

/// <summary>
/// Marks a static method of a <c>partial</c> type as runnable in a <see cref="ProcessPool"/>.
/// The source generator adds a nested <c>Remote</c> class to the containing type with one strongly
/// typed handle per marked method, named like the method (<c>Jobs.Remote.Square</c>).
/// </summary>
/// <remarks>
/// Parameters and results must be MemoryPack-serializable; anything else is a compile-time error.
/// A trailing <see cref="System.Threading.CancellationToken"/> parameter is not passed by the caller:
/// the token given to <c>Apply</c>/<c>Map</c> is forwarded to it in the worker.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ProcessParallelAttribute : Attribute
{
}

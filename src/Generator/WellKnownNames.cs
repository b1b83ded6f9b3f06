namespace ParallelGen.Generator;

/// <summary>
/// Metadata names the generator and analyzer recognise. Strings, not symbols: the netstandard2.0 generator cannot
/// reference the net10.0 runtime, and comparing names avoids a compilation-wide lookup per method.
/// </summary>
internal static class WellKnownNames
{
    public const string ProcessParallelAttribute = "ParallelGen.ProcessParallelAttribute";

    /// <summary>The worker hook a self-starting (NativeAOT, single-file) app calls first in its entry point (PG0018).</summary>
    public const string ProcessWorker = "ParallelGen.ProcessWorker";
    public const string RunIfWorker = "RunIfWorker";

    /// <summary>The base class of every handle (<c>RemoteFunc</c>, <c>RemoteAction</c>): what PG0020 recognises as "a handle is expected".</summary>
    public const string RemoteMethod = "ParallelGen.RemoteMethod";
    public const string MemoryPackableAttribute = "MemoryPack.MemoryPackableAttribute";
    public const string MemoryPackUnionAttribute = "MemoryPack.MemoryPackUnionAttribute";
    public const string MemoryPackableInterface = "MemoryPack.IMemoryPackable`1";
    public const string CancellationToken = "System.Threading.CancellationToken";
    public const string Task = "System.Threading.Tasks.Task";
    public const string TaskOfT = "System.Threading.Tasks.Task`1";
    public const string ValueTask = "System.Threading.Tasks.ValueTask";
    public const string ValueTaskOfT = "System.Threading.Tasks.ValueTask`1";
    public const string GeneratedCodeAttribute = "System.CodeDom.Compiler.GeneratedCodeAttribute";

    /// <summary>The generated nested class; also the name a user member must not take.</summary>
    public const string RemoteClassName = "Remote";

    /// <summary>Suffix of the per-type generated files; the analyzer uses it to recognise our own <c>Remote</c> class.</summary>
    public const string HintNameSuffix = ".ProcessParallel.g.cs";

    public const string DispatchHintName = "ParallelGen.WorkerDispatch.g.cs";

    // Emitted type references (always global::-qualified).
    public const string RemoteFunc = "global::ParallelGen.RemoteFunc";
    public const string RemoteAction = "global::ParallelGen.RemoteAction";
    public const string RemoteMethodInfo = "global::ParallelGen.Generated.RemoteMethodInfo";
    public const string DispatchRegistry = "global::ParallelGen.Generated.DispatchRegistry";
    public const string FormatterRegistry = "global::ParallelGen.Generated.FormatterRegistry";
    public const string MemoryPackWriter = "global::MemoryPack.MemoryPackWriter<global::ParallelGen.Serialization.PayloadBuffer>";
    public const string MemoryPackReader = "global::MemoryPack.MemoryPackReader";
    public const string ValueTaskRef = "global::System.Threading.Tasks.ValueTask";
    public const string GeneratedCodeAttributeRef = "global::System.CodeDom.Compiler.GeneratedCode";
    public const string EditorBrowsableNever =
        "global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)";
    public const string FormatterProvider = "global::MemoryPack.MemoryPackFormatterProvider";
    public const string ModuleInitializerRef = "global::System.Runtime.CompilerServices.ModuleInitializer";
}

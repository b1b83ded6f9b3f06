using Microsoft.CodeAnalysis;

namespace ParallelGen.Generator.Diagnostics;

/// <summary>
/// Every diagnostic ParallelGen reports. Ids are never reused: add new ones at the end, list them in
/// <c>AnalyzerReleases.Unshipped.md</c> and write <c>docs/diagnostics/{id}.md</c> (the checklist is in src/Generator/AGENTS.md).
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "ParallelGen";
    private const string HelpLinkBase = "https://github.com/parallelgen/parallelgen/blob/main/docs/diagnostics/";

    /// <summary>PG0001: a <c>[ProcessParallel]</c> method is an instance method.</summary>
    public static readonly DiagnosticDescriptor MethodMustBeStatic = Create(
        "PG0001",
        "[ProcessParallel] method must be static",
        "[ProcessParallel] method '{0}' must be static: a worker process has no instance to call it on");

    /// <summary>PG0002: the type declaring a <c>[ProcessParallel]</c> method, or one that contains it, is not partial.</summary>
    public static readonly DiagnosticDescriptor TypeMustBePartial = Create(
        "PG0002",
        "Type must be partial",
        "Type '{0}' must be partial so the generator can add the Remote class for its [ProcessParallel] methods");

    /// <summary>PG0003: a <c>[ProcessParallel]</c> method has type parameters.</summary>
    public static readonly DiagnosticDescriptor GenericMethod = Create(
        "PG0003",
        "[ProcessParallel] method must not be generic",
        "[ProcessParallel] method '{0}' must not be generic: a handle needs closed parameter and result types");

    /// <summary>PG0004: the type declaring a <c>[ProcessParallel]</c> method, or one that contains it, is generic.</summary>
    public static readonly DiagnosticDescriptor GenericType = Create(
        "PG0004",
        "Type must not be generic",
        "Type '{0}' must not be generic: [ProcessParallel] methods need one closed type the worker can dispatch to");

    /// <summary>PG0005: the declaring type is private, protected or file-local, so the assembly's dispatch table cannot reach it.</summary>
    public static readonly DiagnosticDescriptor TypeNotAccessible = Create(
        "PG0005",
        "Type must be reachable from its assembly",
        "Type '{0}' is {1}: the assembly's dispatch table cannot reach [ProcessParallel] methods inside it; make it internal or public");

    /// <summary>PG0006: a parameter is by-reference, a pointer or a ref struct.</summary>
    public static readonly DiagnosticDescriptor UnsupportedParameter = Create(
        "PG0006",
        "Parameter cannot cross a process boundary",
        "Parameter '{0}' of '{1}' is {2}, which cannot cross a process boundary");

    /// <summary>PG0007: the result is by-reference, a pointer or a ref struct.</summary>
    public static readonly DiagnosticDescriptor UnsupportedReturn = Create(
        "PG0007",
        "Result cannot cross a process boundary",
        "'{0}' returns {1}, which cannot cross a process boundary");

    /// <summary>PG0008: an <c>async void</c> method.</summary>
    public static readonly DiagnosticDescriptor AsyncVoid = Create(
        "PG0008",
        "[ProcessParallel] method must not be async void",
        "[ProcessParallel] method '{0}' is async void, so nobody could await it; return Task instead");

    /// <summary>
    /// PG0009: a parameter or result type (or a type inside it) is not MemoryPack-serializable. The last argument is advice
    /// that fits the type (<see cref="Parsing.SerializationAdvice"/>): only a type from the user's source can be marked.
    /// </summary>
    public static readonly DiagnosticDescriptor NotSerializable = Create(
        "PG0009",
        "Type is not MemoryPack-serializable",
        "The type '{0}' of {1} is not MemoryPack-serializable: '{2}' is not supported; {3}");

    /// <summary>PG0010: two <c>[ProcessParallel]</c> methods of one type share a name.</summary>
    public static readonly DiagnosticDescriptor DuplicateMethodName = Create(
        "PG0010",
        "[ProcessParallel] method names must be unique in their type",
        "Type '{0}' has more than one [ProcessParallel] method named '{1}'; handles are named after their methods, so give overloads different names");

    /// <summary>PG0011: the declaring type has its own member named <c>Remote</c>.</summary>
    public static readonly DiagnosticDescriptor RemoteMemberClash = Create(
        "PG0011",
        "Member named 'Remote' clashes with the generated class",
        "Type '{0}' declares a member named 'Remote', which clashes with the generated Remote class; rename it");

    /// <summary>PG0012: more parameters than <see cref="Parsing.MethodValidator.MaxParameters"/>.</summary>
    public static readonly DiagnosticDescriptor TooManyParameters = Create(
        "PG0012",
        "Too many parameters",
        "[ProcessParallel] method '{0}' has {1} parameters; at most {2} are supported, so pass a [MemoryPackable] type instead");

    /// <summary>PG0013: the attribute is on something other than an ordinary method declared in a type.</summary>
    public static readonly DiagnosticDescriptor NotAnOrdinaryMethod = Create(
        "PG0013",
        "[ProcessParallel] applies to ordinary static methods only",
        "[ProcessParallel] applies to static methods declared in a type, not to {0}");

    /// <summary>PG0014: a <c>CancellationToken</c> parameter that is not the only and last one.</summary>
    public static readonly DiagnosticDescriptor CancellationTokenNotLast = Create(
        "PG0014",
        "CancellationToken must be the last parameter",
        "CancellationToken parameter '{0}' of '{1}' must be the last parameter, and a method may take only one");

    /// <summary>PG0015: two methods of one assembly hash to the same id.</summary>
    public static readonly DiagnosticDescriptor MethodIdCollision = Create(
        "PG0015",
        "Method ids collide",
        "The [ProcessParallel] methods '{0}' and '{1}' hash to the same id 0x{2}; rename one of them");

    /// <summary>PG0016: a type in the signature is private or protected, so the assembly-wide handle cannot expose it.</summary>
    public static readonly DiagnosticDescriptor SignatureTypeNotAccessible = Create(
        "PG0016",
        "Signature type must be reachable from its assembly",
        "The type '{0}' of {1} is {2}; the handle is reachable from the whole assembly, so the type must be internal or public");

    /// <summary>
    /// PG0017: a <c>ProcessQueue&lt;T&gt;</c>, <c>IProgress&lt;T&gt;</c> or shared-state object (pipe, manager object, lock,
    /// shared memory) used as (or inside) a result, or inside another parameter type.
    /// </summary>
    public static readonly DiagnosticDescriptor ChannelNotAParameter = Create(
        "PG0017",
        "Queues, progress reporters and shared-state objects can only be parameter types",
        "'{0}' in {1} is not supported: a ProcessQueue<T>, IProgress<T> or shared-state object (ProcessPipe, ProcessDictionary, ProcessList, ProcessLock, ProcessEvent, ProcessSemaphore, ProcessBarrier, SharedArray, SharedValue) can only be the declared type of a parameter, not a result or part of another type");

    /// <summary>
    /// PG0018: a NativeAOT, single-file or self-contained executable whose entry point does not start with
    /// <c>ParallelGen.ProcessWorker.RunIfWorker(args)</c>. An error (it is only reported when the project sets one of those
    /// properties): such an app starts each worker by running itself again, and without the hook every worker runs the
    /// whole program, which starts its own pool, and so on without limit.
    /// </summary>
    public static readonly DiagnosticDescriptor WorkerHookMissing = Create(
        "PG0018",
        "Entry point must call ProcessWorker.RunIfWorker first",
        "The entry point {0}; a {1} app starts its pool workers by running its own executable again, so 'ParallelGen.ProcessWorker.RunIfWorker(args);' must be its first statement");

    /// <summary>
    /// PG0019: a <c>[MemoryPackable]</c> type in a signature is not partial (or sits in a type that is not), so MemoryPack's
    /// generator adds no serializer to it; the method gets no code, so no error appears inside generated code.
    /// </summary>
    public static readonly DiagnosticDescriptor MemoryPackableNotPartial = Create(
        "PG0019",
        "[MemoryPackable] type must be partial",
        "'{0}' in {1} is marked [MemoryPackable], but {2} not partial, so MemoryPack cannot add its serializer; add the 'partial' modifier");

    /// <summary>
    /// PG0020: a method group or a lambda where a handle (<c>RemoteFunc</c>, <c>RemoteAction</c>) is expected. The compiler's
    /// own error (CS1503, CS1660, CS0428) names the conversion, often to an overload the user did not mean.
    /// </summary>
    public static readonly DiagnosticDescriptor HandleExpected = Create(
        "PG0020",
        "Pass a handle, not a method or a lambda",
        "{0} is not a handle; {1}");

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md");
}

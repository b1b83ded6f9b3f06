namespace ParallelGen.Generator.Model;

/// <summary>Everything the emitters need to know about one valid <c>[ProcessParallel]</c> method. Strings only: no symbols.</summary>
/// <param name="ContainingType">Where the method lives and how to reopen its type.</param>
/// <param name="Name">The method's name as declared, without <c>@</c>: what the runtime reports (<c>RemoteMethod.Name</c>).</param>
/// <param name="Identifier">The name as code spells it, with <c>@</c> when it is a keyword: the method to call and the handle field.</param>
/// <param name="FieldAccessibility">The handle field's accessibility: <c>public</c> or <c>internal</c>.</param>
/// <param name="SummaryLines">The handle's XML doc summary, one line each, without <c>///</c>.</param>
/// <param name="Signature">The stable signature, e.g. <c>App.Jobs.Square(int) -&gt; int</c>.</param>
/// <param name="Id">The stable method id: FNV-1a 64 over <c>"{assembly}:{signature}"</c>.</param>
/// <param name="Parameters">The parameters that travel to the worker, in order (the trailing <c>CancellationToken</c> excluded).</param>
/// <param name="TupleHasNames">True when the argument tuple can use the parameter names as element names.</param>
/// <param name="PassesCancellationToken">True when the method's last parameter receives the worker's token.</param>
/// <param name="ReturnKind">How the method returns.</param>
/// <param name="ResultType">The handle's result type (<c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c> unwrapped), or null for void-like methods.</param>
/// <param name="Formatters">The MemoryPack formatters the parameter and result types need under NativeAOT, ordered by type.</param>
internal sealed record ParallelMethodModel(
    ContainingTypeModel ContainingType,
    string Name,
    string Identifier,
    string FieldAccessibility,
    EquatableArray<string> SummaryLines,
    string Signature,
    ulong Id,
    EquatableArray<ParameterModel> Parameters,
    bool TupleHasNames,
    bool PassesCancellationToken,
    ReturnKind ReturnKind,
    string? ResultType,
    EquatableArray<FormatterRegistration> Formatters);

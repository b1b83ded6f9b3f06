namespace ParallelGen.Generator.Model;

/// <summary>The type that declares <c>[ProcessParallel]</c> methods and receives the nested <c>Remote</c> class.</summary>
/// <param name="FullyQualifiedName">The type as code refers to it, e.g. <c>global::App.Jobs.Inner</c>; also the grouping key.</param>
/// <param name="Namespace">The containing namespace (<c>App.Sub</c>), or empty for the global namespace.</param>
/// <param name="Hierarchy">The type and its containing types, outermost first, to reopen as <c>partial</c>.</param>
/// <param name="HintNameStem">The file name stem before de-duplication, e.g. <c>App.Jobs.Inner</c>.</param>
/// <param name="RemoteNeedsNew">True when a base type already exposes a <c>Remote</c> member, so the generated class hides it with <c>new</c>.</param>
internal sealed record ContainingTypeModel(
    string FullyQualifiedName,
    string Namespace,
    EquatableArray<TypeDeclarationModel> Hierarchy,
    string HintNameStem,
    bool RemoteNeedsNew);

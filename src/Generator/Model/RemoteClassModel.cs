namespace ParallelGen.Generator.Model;

/// <summary>One generated file: the <c>Remote</c> class of one containing type.</summary>
/// <param name="ContainingType">The type that receives the class.</param>
/// <param name="HintName">The unique file name, e.g. <c>App.Jobs.ProcessParallel.g.cs</c>.</param>
/// <param name="Methods">The handles to emit, ordered by name (ordinal) so the file never depends on declaration or file order.</param>
internal sealed record RemoteClassModel(ContainingTypeModel ContainingType, string HintName, EquatableArray<ParallelMethodModel> Methods);

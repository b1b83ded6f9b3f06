namespace ParallelGen.Generator.Model;

/// <summary>A parameter that travels to the worker (never the trailing <c>CancellationToken</c>).</summary>
/// <param name="Identifier">The parameter's name as code spells it (<c>@</c> before a keyword): the argument tuple's element name.</param>
/// <param name="Type">The fully qualified type (<c>global::…</c>) including nullable annotations.</param>
/// <param name="IsNullable">True for <c>T?</c> (annotated reference types and <c>Nullable&lt;T&gt;</c>): the reader's result is not null-forgiven.</param>
internal sealed record ParameterModel(string Identifier, string Type, bool IsNullable);

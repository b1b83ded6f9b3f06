namespace ParallelGen.Generator.Model;

/// <summary>A parameter that travels to the worker (never the trailing <c>CancellationToken</c>).</summary>
/// <param name="Name">The parameter's name as declared (used as the tuple element name), without <c>@</c>.</param>
/// <param name="Type">The fully qualified type (<c>global::…</c>) including nullable annotations.</param>
/// <param name="IsNullable">True for <c>T?</c> (annotated reference types and <c>Nullable&lt;T&gt;</c>): the reader's result is not null-forgiven.</param>
internal sealed record ParameterModel(string Name, string Type, bool IsNullable);

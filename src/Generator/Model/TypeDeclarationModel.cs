namespace ParallelGen.Generator.Model;

/// <summary>One level of the partial type hierarchy that the generated file reopens.</summary>
/// <param name="Keyword">The declaration keyword(s): <c>class</c>, <c>struct</c>, <c>ref struct</c>, <c>record</c>, <c>record struct</c> or <c>interface</c>.</param>
/// <param name="Name">The type's name, escaped with <c>@</c> when it is a keyword.</param>
internal sealed record TypeDeclarationModel(string Keyword, string Name);

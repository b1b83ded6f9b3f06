namespace ParallelGen.Generator.Model;

/// <summary>
/// A MemoryPack formatter the dispatch table's module initializer registers, so NativeAOT never needs MemoryPack's
/// reflection fallback (<c>MakeGenericType</c> + <c>Activator.CreateInstance</c>) for a closed type in a signature.
/// </summary>
/// <param name="Type">The closed type, <c>global::</c>-qualified, without nullable reference annotations or tuple element names (so equal CLR types compare equal).</param>
/// <param name="Formatter">
/// The formatter to construct, e.g. <c>global::MemoryPack.Formatters.ListFormatter&lt;int&gt;</c>; null for a
/// <c>[MemoryPackable]</c> type, which registers itself through <c>MemoryPackFormatterProvider.Register&lt;T&gt;()</c>.
/// </param>
internal sealed record FormatterRegistration(string Type, string? Formatter);

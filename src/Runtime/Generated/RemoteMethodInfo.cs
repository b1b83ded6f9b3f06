using System;
using System.ComponentModel;

namespace ParallelGen.Generated;

/// <summary>
/// Identity of a <c>[ProcessParallel]</c> method, written by the generator. Parent and worker find the
/// method by <see cref="Id"/>, a stable hash of <see cref="Signature"/> that never changes between
/// builds of the same signature.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RemoteMethodInfo
{
    /// <summary>Creates the identity; called only by generated code.</summary>
    /// <param name="declaringType">The type that declares the method; its assembly holds the dispatch table.</param>
    /// <param name="name">The method's simple name.</param>
    /// <param name="signature">The full signature the id was derived from, for error messages and build-mismatch checks.</param>
    /// <param name="id">The stable method id.</param>
    public RemoteMethodInfo(Type declaringType, string name, string signature, ulong id)
    {
        DeclaringType = declaringType ?? throw new ArgumentNullException(nameof(declaringType));
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Signature = signature ?? throw new ArgumentNullException(nameof(signature));
        Id = id;
    }

    /// <summary>The type that declares the method.</summary>
    public Type DeclaringType { get; }

    /// <summary>The method's simple name.</summary>
    public string Name { get; }

    /// <summary>The full signature, e.g. <c>App.Jobs.Square(int) -&gt; int</c>.</summary>
    public string Signature { get; }

    /// <summary>The stable method id.</summary>
    public ulong Id { get; }

    /// <inheritdoc />
    public override string ToString() => Signature;
}

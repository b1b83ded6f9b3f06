using ParallelGen.Generated;
using ParallelGen.Handles;

namespace ParallelGen;

/// <summary>
/// A strongly typed handle to a <c>[ProcessParallel]</c> method, generated as <c>Type.Remote.Method</c>.
/// Pass it to <see cref="ProcessPool"/> verbs; it carries no state of its own.
/// </summary>
public abstract class RemoteMethod
{
    private protected RemoteMethod(RemoteMethodInfo info)
    {
        Info = info;
    }

    /// <summary>The method's simple name.</summary>
    public string Name => Info.Name;

    /// <summary>The method's full signature, e.g. <c>App.Jobs.Square(int) -&gt; int</c>.</summary>
    public string Signature => Info.Signature;

    internal RemoteMethodInfo Info { get; }

    internal abstract IRemoteInvoker Invoker { get; }

    /// <inheritdoc />
    public override string ToString() => Info.Signature;
}

namespace ParallelGen.Generator.Model;

/// <summary>The per-assembly dispatch table.</summary>
/// <param name="ClassName">The registering class, <c>WorkerDispatch_{sanitized assembly name}</c>.</param>
/// <param name="Entries">Every handle, ordered by method id.</param>
/// <param name="Collisions">Pairs of signatures that share an id, one message argument each (reported, never emitted silently).</param>
/// <param name="Formatters">Every method's formatter registrations, deduplicated and ordered by type (ordinal).</param>
internal sealed record DispatchModel(
    string ClassName,
    EquatableArray<DispatchEntry> Entries,
    EquatableArray<IdCollision> Collisions,
    EquatableArray<FormatterRegistration> Formatters);

/// <summary>One registered handle.</summary>
/// <param name="Id">The stable method id.</param>
/// <param name="Signature">The signature the id came from.</param>
/// <param name="HandleExpression">The handle field, e.g. <c>global::App.Jobs.Remote.Square</c>.</param>
internal sealed record DispatchEntry(ulong Id, string Signature, string HandleExpression);

/// <summary>Two methods whose signatures hash to the same id.</summary>
/// <param name="Id">The shared id.</param>
/// <param name="First">One signature.</param>
/// <param name="Second">The other signature.</param>
internal sealed record IdCollision(ulong Id, string First, string Second);

namespace ParallelGen.Generator;

/// <summary>Names of the pipeline steps, so tests can assert what each step cached.</summary>
internal static class TrackingNames
{
    public const string Methods = nameof(Methods);
    public const string ValidMethods = nameof(ValidMethods);
    public const string RemoteClasses = nameof(RemoteClasses);
    public const string Dispatch = nameof(Dispatch);
}

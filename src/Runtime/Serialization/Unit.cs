namespace ParallelGen.Serialization;

/// <summary>The "no value" of void methods and parameterless methods, so one generic call path serves every shape.</summary>
internal readonly struct Unit
{
}

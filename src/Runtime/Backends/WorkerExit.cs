using System;

namespace ParallelGen.Backends;

/// <summary>How a worker went away: its exit code where the backend has one, and the error that ended it, if any.</summary>
/// <param name="ExitCode">The process exit code (128 + n or a negative code for a signal, as the platform reports it), or null.</param>
/// <param name="Failure">What the backend saw go wrong (a broken connection, a protocol violation), or null for a plain exit.</param>
internal readonly record struct WorkerExit(int? ExitCode, Exception? Failure);

using System.ComponentModel;
using MemoryPack;
using ParallelGen.Serialization;

namespace ParallelGen.Generated;

/// <summary>
/// Writes a call's arguments one by one with MemoryPack's writer (generated per method). Writing each
/// argument directly, rather than through an envelope type, keeps MemoryPack's own generator out of the
/// loop: it never sees types another generator emits.
/// </summary>
/// <typeparam name="TArgs">The argument, or the tuple of arguments for several parameters.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate void ArgumentWriter<TArgs>(ref MemoryPackWriter<PayloadBuffer> writer, TArgs args);

/// <summary>Reads a call's arguments in the order <see cref="ArgumentWriter{TArgs}"/> wrote them (generated per method).</summary>
/// <typeparam name="TArgs">The argument, or the tuple of arguments for several parameters.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate TArgs ArgumentReader<TArgs>(ref MemoryPackReader reader);

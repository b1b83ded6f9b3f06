using System;
using System.Collections.Generic;
using System.ComponentModel;
using MemoryPack;
using ParallelGen.Channels;
using ParallelGen.Serialization;
using ParallelGen.SharedState;

namespace ParallelGen.Generated;

/// <summary>
/// The MemoryPack formatters ParallelGen and every loaded assembly need, registered on the first encode or decode
/// instead of at start. Touching <c>MemoryPackFormatterProvider</c> builds MemoryPack's whole formatter table
/// (a few hundred methods to JIT, tens of milliseconds in a fresh worker); a pool whose calls move only unmanaged
/// values never needs it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class FormatterRegistry
{
    private static readonly object s_gate = new();
    private static readonly List<Action> s_pending = [];
    private static bool s_registered;

    /// <summary>
    /// Hands over an assembly's formatter registrations; called by its generated module initializer. They run with
    /// the first MemoryPack use in this process, or at once if that has happened.
    /// </summary>
    public static void Add(Action register)
    {
        ArgumentNullException.ThrowIfNull(register);
        lock (s_gate)
        {
            if (!s_registered)
            {
                s_pending.Add(register);
                return;
            }
        }

        register();
    }

    /// <summary>
    /// Registers ParallelGen's formatters and everything handed over so far. Called once, by the static constructor of
    /// <see cref="MemoryPackStates"/>, which every MemoryPack use in the runtime goes through, so no other thread
    /// encodes or decodes before it returns.
    /// </summary>
    /// <remarks>
    /// The registrations run outside the lock: one may load another assembly, whose module initializer (on this
    /// thread, or already running on another that waits for the lock in <see cref="Add"/>) must not wait for this one.
    /// </remarks>
    internal static void EnsureRegistered()
    {
        Action[] pending;
        lock (s_gate)
        {
            if (s_registered)
            {
                return;
            }

            s_registered = true; // from here on, Add runs what it is given itself
            pending = [.. s_pending];
            s_pending.Clear();
        }

        // Strings (alone, in arrays, collections, tuples) from another process decode through SafeStringFormatter,
        // never through MemoryPack's unchecked reader.
        MemoryPackFormatterProvider.Register(SafeStringFormatter.Instance);
        PrimitiveArrayFormatters.Register(); // large payload arrays decode into huge pages where Linux offers them
        ChannelFormatters.Register();
        SharedStateFormatters.Register();
        foreach (Action register in pending)
        {
            register();
        }
    }
}

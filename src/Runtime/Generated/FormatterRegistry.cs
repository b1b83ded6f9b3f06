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
    private static volatile bool s_registered;

    /// <summary>
    /// Hands over an assembly's formatter registrations; called by its generated module initializer. They run with
    /// the first MemoryPack use in this process, or at once if that has happened.
    /// </summary>
    public static void Add(Action register)
    {
        ArgumentNullException.ThrowIfNull(register);
        lock (s_gate)
        {
            if (s_registered)
            {
                register();
            }
            else
            {
                s_pending.Add(register);
            }
        }
    }

    /// <summary>Registers everything handed over so far; every MemoryPack use in the runtime passes here first.</summary>
    internal static void EnsureRegistered()
    {
        if (s_registered)
        {
            return;
        }

        lock (s_gate)
        {
            if (s_registered)
            {
                return;
            }

            // Strings (alone, in arrays, collections, tuples) from another process decode through SafeStringFormatter,
            // never through MemoryPack's unchecked reader.
            MemoryPackFormatterProvider.Register(SafeStringFormatter.Instance);
            ChannelFormatters.Register();
            SharedStateFormatters.Register();

            // By index: a registration can load another assembly whose module initializer adds to the list
            // (the lock is re-entrant on this thread).
            for (int i = 0; i < s_pending.Count; i++)
            {
                s_pending[i]();
            }

            s_pending.Clear();
            s_registered = true;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;

namespace ParallelGen.Benchmarks.RpcPeer;

/// <summary>
/// The sizes of every case, with pool_bench.py's flag names and defaults; <c>--quick</c> applies its
/// smoke-test sizes after the flags, as pool_bench.py does.
/// </summary>
public sealed class PeerOptions
{
    private readonly Dictionary<string, int> _sizes = new(StringComparer.Ordinal)
    {
        ["workers"] = 2,
        ["repeat"] = 3,
        ["calls"] = 2000,
        ["map-items"] = 1_000_000,
        ["chunk1-items"] = 20_000,
        ["imap-items"] = 10_000,
        ["payload-mb"] = 100,
        ["payload-runs"] = 5,
        ["cold-runs"] = 10,
    };

    public string? JsonPath { get; private set; }

    public int this[string name] => _sizes[name];

    /// <summary>Parses the arguments; null (after printing why) if they are wrong.</summary>
    public static PeerOptions? Parse(string[] args)
    {
        var options = new PeerOptions();
        bool quick = false;
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i].TrimStart('-');
            if (name == "quick")
            {
                quick = true;
            }
            else if (name == "json" && i + 1 < args.Length)
            {
                options.JsonPath = args[++i];
            }
            else if (options._sizes.ContainsKey(name) && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int value) && value > 0)
            {
                options._sizes[name] = value;
                i++;
            }
            else
            {
                Console.Error.WriteLine($"unknown or invalid argument {args[i]}; options: --quick --json FILE --{string.Join(" N --", options._sizes.Keys)} N");
                return null;
            }
        }

        if (quick)
        {
            foreach ((string key, int value) in new[] { ("repeat", 1), ("calls", 200), ("map-items", 100_000), ("chunk1-items", 2_000), ("imap-items", 1_000), ("payload-mb", 10), ("payload-runs", 2), ("cold-runs", 2) })
            {
                options._sizes[key] = value;
            }
        }

        return options;
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace ParallelGen.Protocol.Tests.Infrastructure;

/// <summary>What /proc tells about a live worker: its command line and its initial environment block.</summary>
internal static class WorkerProc
{
    public static string[] CommandLine(int processId) =>
        File.ReadAllText($"/proc/{processId}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The pool's listening address, as the worker was told it on its command line.</summary>
    public static string ListenerAddress(int processId)
    {
        string[] arguments = CommandLine(processId);
        int at = Array.IndexOf(arguments, "--address");
        if (at < 0 || at + 1 >= arguments.Length)
        {
            throw new InvalidOperationException($"Process {processId} has no --address argument: {string.Join(' ', arguments)}");
        }

        return arguments[at + 1];
    }

    /// <summary>The environment the process was started with (what other processes of this user can read).</summary>
    public static Dictionary<string, string> Environment(int processId)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        string block = Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{processId}/environ"));
        foreach (string entry in block.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = entry.IndexOf('=');
            if (equals > 0)
            {
                variables[entry[..equals]] = entry[(equals + 1)..];
            }
        }

        return variables;
    }
}

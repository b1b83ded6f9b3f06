using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using MemoryPack;
using ParallelGen.Generated;
using ParallelGen.Serialization;

namespace ParallelGen.Runtime.Tests;

/// <summary>Calls that leave work behind in foreground threads, with hand-written handles like <see cref="HandWrittenJobs"/>.</summary>
public static class LingeringJobs
{
    public const string GoFile = "go";
    public const string DoneFile = "done";
    public const string DoneText = "written after the call returned";

    /// <summary>
    /// Starts a foreground thread that waits for <see cref="GoFile"/> in <paramref name="directory"/> and then writes
    /// <see cref="DoneFile"/>; returns at once (or throws, if <paramref name="fail"/>) while the thread still waits.
    /// </summary>
    public static int StartForegroundWriter(string directory, bool fail)
    {
        var writer = new Thread(() =>
        {
            WaitForFile(directory, GoFile);
            File.WriteAllText(Path.Combine(directory, DoneFile), DoneText);
        }) { IsBackground = false, Name = "lingering foreground writer" };
        writer.Start();
        return fail ? throw new InvalidOperationException("failed after starting a thread") : 0;
    }

    private static void WaitForFile(string directory, string name)
    {
        using var created = new ManualResetEventSlim();
        using var watcher = new FileSystemWatcher(directory, name);
        watcher.Created += (_, _) => created.Set();
        watcher.EnableRaisingEvents = true;
        // Checked after the watcher is on, so a file created before it started is not missed.
        if (!File.Exists(Path.Combine(directory, name)))
        {
            created.Wait(TimeSpan.FromMinutes(1));
        }
    }

    public static class Remote
    {
        private static readonly HandWrittenHandles Handles = new(typeof(LingeringJobs));

        public static readonly RemoteFunc<(string directory, bool fail), int> StartForegroundWriter = new(
            Handles.Info(nameof(LingeringJobs.StartForegroundWriter), "(string, bool) -> int"),
            static (ref MemoryPackWriter<PayloadBuffer> writer, (string directory, bool fail) args) =>
            {
                writer.WriteValue(args.Item1);
                writer.WriteValue(args.Item2);
            },
            static (ref MemoryPackReader reader) => (reader.ReadValue<string>()!, reader.ReadValue<bool>()),
            static (args, cancellationToken) => new ValueTask<int>(LingeringJobs.StartForegroundWriter(args.Item1, args.Item2)));
    }

    [ModuleInitializer]
    internal static void Register() => DispatchRegistry.Register(typeof(LingeringJobs).Assembly, Remote.StartForegroundWriter);
}

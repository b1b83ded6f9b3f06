using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using MemoryPack;
using ParallelGen.Channels;
using ParallelGen.Generated;
using ParallelGen.Serialization;
using ParallelGen.Testing;
using ParallelGen.Transport;

namespace ParallelGen.Protocol.Tests;

/// <summary>
/// Methods for the protocol tests, with handles written by hand in exactly the shape the generator emits
/// (as in ParallelGen.Runtime.Tests.HandWrittenJobs). <see cref="Unregistered"/> holds handles no dispatch table
/// knows, built to look like a parent from a different build.
/// </summary>
public static class ProtocolJobs
{
    public static int Square(int x) => x * x;

    public static int ProcessId() => Environment.ProcessId;

    /// <summary>The worker's environment as the .NET runtime sees it, as "NAME=value" lines.</summary>
    public static string[] EnvironmentVariables()
    {
        var lines = new List<string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            lines.Add(entry.Key + "=" + entry.Value);
        }

        return lines.ToArray();
    }

    public static long AllocatedBytes() => GC.GetTotalAllocatedBytes(precise: true);

    public static byte[] MakeBytes(int count) => new byte[count];

    public static int Length(byte[] bytes) => bytes.Length;

    /// <summary>Writes <paramref name="bytes"/> as they are onto the worker's connection to its parent: a worker gone bad.</summary>
    public static int SendRaw(byte[] bytes)
    {
        FrameSender sender = ChannelScope.WorkerConnection ?? throw new InvalidOperationException("Not in a worker.");
        lock (sender.SyncRoot)
        {
            sender.SendFrame(bytes);
        }

        return bytes.Length;
    }

    public static int StringLength(string text) => text.Length;

    public static int TotalLength(string[] texts) => texts.Sum(t => t.Length);

    /// <summary>
    /// Decodes <paramref name="bytes"/> with MemoryPack's own string reader, bypassing every formatter: what the
    /// code MemoryPack generates for a string member of a [MemoryPackable] type does.
    /// </summary>
    public static int ReadWithMemoryPacksStringReader(byte[] bytes)
    {
        var reader = new MemoryPackReader(bytes, MemoryPackReaderOptionalStatePool.Rent(MemoryPackSerializerOptions.Default));
        return reader.ReadString()?.Length ?? -1;
    }

    /// <summary>
    /// A worker gone bad answers call <paramref name="callId"/> (its own) with a frame of <paramref name="kind"/> and
    /// <paramref name="payload"/> as they are, then exits before the runtime can answer it properly.
    /// </summary>
    public static int AnswerRaw(long callId, byte kind, byte[] payload)
    {
        int sent = SendRaw(Frame((FrameKind)kind, callId, payload));
        Environment.Exit(0);
        return sent;
    }

    /// <summary>Puts <paramref name="item"/> (raw bytes) into the caller's queue, then a well-formed "after".</summary>
    public static int PutRaw(ProcessQueue<string> queue, byte[] item)
    {
        ChannelScope.Send(queue.ChannelId, item);
        queue.Put("after");
        return item.Length;
    }

    private static byte[] Frame(FrameKind kind, long id, byte[] payload)
    {
        var frame = new byte[FrameHeader.Size + payload.Length];
        FrameHeader.Write(frame, payload.Length, kind, id);
        payload.CopyTo(frame, FrameHeader.Size);
        return frame;
    }

    /// <summary>
    /// Decodes, with the parent's own code path for Error frames (MemoryPack → <see cref="RemoteError"/> →
    /// <see cref="RemoteError.ToException"/>), a <see cref="RemoteError"/> nested <paramref name="depth"/> deep.
    /// Runs in a worker so that a stack overflow kills a worker, not the test host.
    /// </summary>
    public static int DecodeNestedErrors(int depth)
    {
        byte[] payload = NestedErrorPayload(depth);
        RemoteError? error = MemoryPackSerializer.Deserialize<RemoteError>(payload);
        Exception exception = error!.ToException(1);
        int levels = 0;
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            levels++;
        }

        return levels;
    }

    /// <summary>The MemoryPack bytes of a RemoteError chain <paramref name="depth"/> deep, built without recursion.</summary>
    public static byte[] NestedErrorPayload(int depth)
    {
        // One level: member count 4, Type "" (length 0), Message "" (length 0), StackTrace null (-1), then Inner.
        byte[] level = [4, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF];
        var payload = new byte[level.Length * depth + 1];
        for (int i = 0; i < depth; i++)
        {
            level.CopyTo(payload, i * level.Length);
        }

        payload[^1] = MemoryPackCode.NullObject; // the innermost Inner is null
        return payload;
    }

    public static class Remote
    {
        internal static readonly HandWrittenHandles Handles = new(typeof(ProtocolJobs));

        public static readonly RemoteFunc<int, int> Square = Handles.Func<int, int>(
            nameof(ProtocolJobs.Square),
            "(int) -> int",
            static (args, cancellationToken) => new ValueTask<int>(ProtocolJobs.Square(args)));

        public static readonly RemoteFunc<int> ProcessId = Handles.Func<int>(
            nameof(ProtocolJobs.ProcessId),
            "() -> int",
            static cancellationToken => new ValueTask<int>(ProtocolJobs.ProcessId()));

        public static readonly RemoteFunc<string[]> EnvironmentVariables = Handles.Func<string[]>(
            nameof(ProtocolJobs.EnvironmentVariables),
            "() -> string[]",
            static cancellationToken => new ValueTask<string[]>(ProtocolJobs.EnvironmentVariables()));

        public static readonly RemoteFunc<long> AllocatedBytes = Handles.Func<long>(
            nameof(ProtocolJobs.AllocatedBytes),
            "() -> long",
            static cancellationToken => new ValueTask<long>(ProtocolJobs.AllocatedBytes()));

        public static readonly RemoteFunc<int, byte[]> MakeBytes = Handles.Func<int, byte[]>(
            nameof(ProtocolJobs.MakeBytes),
            "(int) -> byte[]",
            static (args, cancellationToken) => new ValueTask<byte[]>(ProtocolJobs.MakeBytes(args)));

        public static readonly RemoteFunc<byte[], int> Length = Handles.Func<byte[], int>(
            nameof(ProtocolJobs.Length),
            "(byte[]) -> int",
            static (args, cancellationToken) => new ValueTask<int>(ProtocolJobs.Length(args)));

        public static readonly RemoteFunc<byte[], int> SendRaw = Handles.Func<byte[], int>(
            nameof(ProtocolJobs.SendRaw),
            "(byte[]) -> int",
            static (args, cancellationToken) => new ValueTask<int>(ProtocolJobs.SendRaw(args)));

        public static readonly RemoteFunc<string, int> StringLength = Handles.Func<string, int>(
            nameof(ProtocolJobs.StringLength),
            "(string) -> int",
            static (args, cancellationToken) => new ValueTask<int>(ProtocolJobs.StringLength(args)));

        public static readonly RemoteFunc<string[], int> TotalLength = Handles.Func<string[], int>(
            nameof(ProtocolJobs.TotalLength),
            "(string[]) -> int",
            static (args, cancellationToken) => new ValueTask<int>(ProtocolJobs.TotalLength(args)));

        public static readonly RemoteFunc<byte[], int> ReadWithMemoryPacksStringReader = Handles.Func<byte[], int>(
            nameof(ProtocolJobs.ReadWithMemoryPacksStringReader),
            "(byte[]) -> int",
            static (args, cancellationToken) => new ValueTask<int>(ProtocolJobs.ReadWithMemoryPacksStringReader(args)));

        public static readonly RemoteFunc<(long, byte, byte[]), int> AnswerRaw = new(
            Handles.Info(nameof(ProtocolJobs.AnswerRaw), "(long, byte, byte[]) -> int"),
            static (ref MemoryPackWriter<PayloadBuffer> writer, (long, byte, byte[]) args) => { writer.WriteValue(args.Item1); writer.WriteValue(args.Item2); writer.WriteValue(args.Item3); },
            static (ref MemoryPackReader reader) => (reader.ReadValue<long>(), reader.ReadValue<byte>(), reader.ReadValue<byte[]>()!),
            static (args, cancellationToken) => new ValueTask<int>(ProtocolJobs.AnswerRaw(args.Item1, args.Item2, args.Item3)));

        public static readonly RemoteFunc<(ProcessQueue<string>, byte[]), int> PutRaw = new(
            Handles.Info(nameof(ProtocolJobs.PutRaw), "(ProcessQueue<string>, byte[]) -> int"),
            static (ref MemoryPackWriter<PayloadBuffer> writer, (ProcessQueue<string>, byte[]) args) => { writer.WriteValue(args.Item1); writer.WriteValue(args.Item2); },
            static (ref MemoryPackReader reader) => (reader.ReadValue<ProcessQueue<string>>()!, reader.ReadValue<byte[]>()!),
            static (args, cancellationToken) => new ValueTask<int>(ProtocolJobs.PutRaw(args.Item1, args.Item2)));

        public static readonly RemoteFunc<(int, ProcessQueue<string>), string> ServeWithFewDescriptors = new(
            Handles.Info(nameof(DescriptorExhaustion), "(int, ProcessQueue<string>) -> string"),
            static (ref MemoryPackWriter<PayloadBuffer> writer, (int, ProcessQueue<string>) args) => { writer.WriteValue(args.Item1); writer.WriteValue(args.Item2); },
            static (ref MemoryPackReader reader) => (reader.ReadValue<int>(), reader.ReadValue<ProcessQueue<string>>()!),
            static (args, cancellationToken) => new ValueTask<string>(DescriptorExhaustion.Serve(args.Item1, args.Item2)));

        public static readonly RemoteFunc<int, int> DecodeNestedErrors = Handles.Func<int, int>(
            nameof(ProtocolJobs.DecodeNestedErrors),
            "(int) -> int",
            static (args, cancellationToken) => new ValueTask<int>(ProtocolJobs.DecodeNestedErrors(args)));
    }

    /// <summary>Handles registered in no dispatch table: what a parent built from different sources would send.</summary>
    public static class Unregistered
    {
        /// <summary>A method the worker's build does not have.</summary>
        public static readonly RemoteFunc<int, int> Missing = new(
            Remote.Handles.Info("Missing", "(int) -> int"),
            static (ref MemoryPackWriter<PayloadBuffer> writer, int args) => writer.WriteValue(args),
            static (ref MemoryPackReader reader) => reader.ReadValue<int>()!,
            static (args, cancellationToken) => new ValueTask<int>(args));

        /// <summary>Square's id, but the parent's build thinks it takes a string.</summary>
        public static readonly RemoteFunc<string, int> SquareTakingString = new(
            new RemoteMethodInfo(typeof(ProtocolJobs), "Square", "ParallelGen.Protocol.Tests.ProtocolJobs.Square(string) -> int", Remote.Square.Call.Info.Id),
            static (ref MemoryPackWriter<PayloadBuffer> writer, string args) => writer.WriteValue(args),
            static (ref MemoryPackReader reader) => reader.ReadValue<string>()!,
            static (args, cancellationToken) => new ValueTask<int>(args.Length));

        /// <summary>
        /// Square's id, with an argument writer that throws (an argument MemoryPack cannot encode). The argument is a
        /// string: an unmanaged one is copied as raw memory and never goes through the writer.
        /// </summary>
        public static readonly RemoteFunc<string, int> ArgumentsThatCannotBeWritten = new(
            new RemoteMethodInfo(typeof(ProtocolJobs), "Square", "ParallelGen.Protocol.Tests.ProtocolJobs.Square(int) -> int", Remote.Square.Call.Info.Id),
            static (ref MemoryPackWriter<PayloadBuffer> writer, string args) => throw new InvalidOperationException("These arguments cannot be written."),
            static (ref MemoryPackReader reader) => reader.ReadValue<string>()!,
            static (args, cancellationToken) => new ValueTask<int>(args.Length));

        /// <summary><see cref="Remote.AnswerRaw"/>'s id, but the parent's build thinks it returns a string.</summary>
        public static readonly RemoteFunc<(long, byte, byte[]), string> AnswerRawAsString = new(
            new RemoteMethodInfo(typeof(ProtocolJobs), "AnswerRaw", "ParallelGen.Protocol.Tests.ProtocolJobs.AnswerRaw(long, byte, byte[]) -> string", Remote.AnswerRaw.Call.Info.Id),
            static (ref MemoryPackWriter<PayloadBuffer> writer, (long, byte, byte[]) args) => { writer.WriteValue(args.Item1); writer.WriteValue(args.Item2); writer.WriteValue(args.Item3); },
            static (ref MemoryPackReader reader) => (reader.ReadValue<long>(), reader.ReadValue<byte>(), reader.ReadValue<byte[]>()!),
            static (args, cancellationToken) => new ValueTask<string>(""));

        /// <summary>Square's id, but the parent's build thinks it takes a byte (too short for an int).</summary>
        public static readonly RemoteFunc<byte, int> SquareTakingByte = new(
            new RemoteMethodInfo(typeof(ProtocolJobs), "Square", "ParallelGen.Protocol.Tests.ProtocolJobs.Square(byte) -> int", Remote.Square.Call.Info.Id),
            static (ref MemoryPackWriter<PayloadBuffer> writer, byte args) => writer.WriteValue(args),
            static (ref MemoryPackReader reader) => reader.ReadValue<byte>()!,
            static (args, cancellationToken) => new ValueTask<int>(args));
    }

    [ModuleInitializer]
    internal static void Register() => DispatchRegistry.Register(
        typeof(ProtocolJobs).Assembly,
        Remote.Square, Remote.ProcessId, Remote.EnvironmentVariables, Remote.AllocatedBytes, Remote.MakeBytes, Remote.Length, Remote.SendRaw, Remote.DecodeNestedErrors,
        Remote.StringLength, Remote.TotalLength, Remote.ReadWithMemoryPacksStringReader, Remote.AnswerRaw, Remote.PutRaw, Remote.ServeWithFewDescriptors);
}

using System;
using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading;
using MemoryPack;

// One step of a worker's start, timed in a fresh process: `ParallelGen.Benchmarks.StartProbe STEP` prints
// "ms=<the step> cpu=<the process's CPU so far, runtime start included>", or for the idle steps "rss=<VmRSS, MB>"
// after 1.5 s asleep. The runner (samples/Benchmarks, --analyze start-probes) runs the steps in alternation.
long t0 = Stopwatch.GetTimestamp();
string step = args.Length > 0 ? args[0] : "nothing";
switch (step)
{
    case "nothing" or "idle":
        break;
    case "memorypack-writevalue":
        Write(static (ref MemoryPackWriter<ArrayBufferWriter<byte>> writer) => writer.WriteValue(42));
        break;
    case "memorypack-writeunmanaged":
        Write(static (ref MemoryPackWriter<ArrayBufferWriter<byte>> writer) => writer.WriteUnmanaged(42));
        break;
    case "memorypack-registry":
        RuntimeHelpers.RunClassConstructor(typeof(MemoryPackFormatterProvider).TypeHandle);
        break;
    case "socket" or "idle-socket":
        using (new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
        }

        break;
    case "idle-memorypack":
        RuntimeHelpers.RunClassConstructor(typeof(MemoryPackFormatterProvider).TypeHandle);
        break;
    case "idle-hex":
        // What a worker's token cost to decode before Transport/HexDigits: the vectorized decoder, JIT-compiled.
        _ = Convert.FromHexString("00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF");
        break;
    case "idle-timer":
        // What a worker's first deadline cost before Hosting/DedicatedTimer: the runtime's timer thread, and the
        // thread pool its callback runs on.
        using (var fired = new ManualResetEventSlim())
        using (new Timer(_ => fired.Set(), null, 1, Timeout.Infinite))
        {
            fired.Wait();
        }

        break;
    case "idle-culture":
        // What loads ICU: any culture data (here the current culture's number format).
        _ = 1.5.ToString(CultureInfo.CurrentCulture);
        break;
    default:
        Console.Error.WriteLine($"unknown step {step}");
        return 2;
}

double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
if (step.StartsWith("idle", StringComparison.Ordinal))
{
    Thread.Sleep(1500); // the measurement: what an idle process keeps resident
    foreach (string line in File.ReadLines("/proc/self/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            double mb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024 / 1e6;
            Console.WriteLine("rss=" + mb.ToString("F1", CultureInfo.InvariantCulture));
        }
    }
}
else
{
    Console.WriteLine("ms=" + ms.ToString(CultureInfo.InvariantCulture) + " cpu=" + Environment.CpuUsage.TotalTime.TotalMilliseconds.ToString(CultureInfo.InvariantCulture));
}

return 0;

static void Write(WriteStep step)
{
    var buffer = new ArrayBufferWriter<byte>();
    using MemoryPackWriterOptionalState state = MemoryPackWriterOptionalStatePool.Rent(null);
    var writer = new MemoryPackWriter<ArrayBufferWriter<byte>>(ref buffer, state);
    step(ref writer);
    writer.Flush();
}

internal delegate void WriteStep(ref MemoryPackWriter<ArrayBufferWriter<byte>> writer);

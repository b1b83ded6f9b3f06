using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MemoryPack;
using ParallelGen.Serialization;

namespace ParallelGen.Benchmarks;

/// <summary>
/// Time breakdowns behind the analysis in docs/benchmarks.md (<c>--analyze [section...]</c>). Each one puts a
/// ParallelGen figure beside the floor of the same work measured in this process (sockets between two threads,
/// memcpy, MemoryPack alone, a bare runtime start), so the gap shows what the runtime adds. Medians of repeats:
/// the machine is a noisy 2-core VM.
/// </summary>
public static class Analysis
{
    private const int MB = 1_000_000;

    public static async Task RunAsync(BenchConfig cfg, IReadOnlyCollection<string> sections)
    {
        bool All(string name) => sections.Count == 0 || sections.Contains(name);
        Console.WriteLine($"load average at start: {ProcStats.LoadAverage()}");
        (long Total, long Steal) ticksAtStart = ProcStats.CpuTicks();
        if (All("latency"))
        {
            Latency(cfg);
        }

        if (All("map"))
        {
            Map(cfg);
        }

        if (All("tasks"))
        {
            await SmallTasksAsync(cfg).ConfigureAwait(false);
        }

        if (All("payload"))
        {
            Payload(cfg);
        }

        if (sections.Contains("inproc-payload"))
        {
            // Only on request: a loop to run under `perf record` (DOTNET_PerfMapEnabled=1).
            byte[] payload = new byte[cfg.PayloadMb * MB];
            using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, InProcess = true });
            Report($"in-process mode: Apply(Identity, {cfg.PayloadMb} MB)", Repeat(10, () => pool.Apply(Jobs.Remote.Identity, payload)), bytes: payload.Length);
        }

        if (sections.Contains("start-once"))
        {
            // Only on request: one pool start, to run under `strace -f -tt` for a timeline.
            long t0 = Stopwatch.GetTimestamp();
            using var pool = new ProcessPool(1);
            pool.Apply(Jobs.Remote.Trivial, 1);
            Console.WriteLine($"new ProcessPool(1) → first result: {Stopwatch.GetElapsedTime(t0).TotalMilliseconds:N1} ms");
        }

        if (sections.Contains("start-levers"))
        {
            Section("(e) worker environments compared, alternating");
            StartLevers.Run(cfg);
        }

        if (sections.Contains("start-probes"))
        {
            Section("(e) single start-up steps, each in a fresh process");
            StartProbe.Compare(Math.Max(cfg.ColdRuns, 5));
        }

        if (sections.Contains("rss-levers"))
        {
            Section("idle worker RSS under worker environments, and what it is");
            WorkerMemory.Run(cfg);
        }

        if (All("coldstart"))
        {
            ColdStart(cfg);
        }

        if (All("rss"))
        {
            Rss(cfg);
        }

        Console.WriteLine($"load average at end: {ProcStats.LoadAverage()}; CPU time stolen by the hypervisor meanwhile: {ProcStats.StealSince(ticksAtStart)}");
    }

    // ------------------------------------------------------------------ (a)

    private static void Latency(BenchConfig cfg)
    {
        Section("(a) round trip: ParallelGen vs bare Unix-socket ping-pong between two threads of this process");
        int calls = cfg.Calls;
        using (var pool = new ProcessPool(cfg.Workers))
        {
            OurBench.WarmUp(pool, cfg);
            for (int i = 0; i < cfg.WarmupCalls; i++)
            {
                pool.Apply(Jobs.Remote.Trivial, i);
            }

            Report("pool.Apply(Trivial)", Sample(calls, () => pool.Apply(Jobs.Remote.Trivial, 1)));
            Report("pool.ApplyAsync(Trivial) only (submit, not waited)", Sample(calls, () => pool.ApplyAsync(Jobs.Remote.Trivial, 1)), then: () => Thread.Sleep(200));
        }

        using (var pool = new ProcessPool(1))
        {
            OurBench.WarmUp(pool, cfg);
            Report("pool(1).Apply(Trivial)", Sample(calls, () => pool.Apply(Jobs.Remote.Trivial, 1)));
        }

        // Same serialization path, run on this process's thread pool: the runtime's own cost without sockets.
        using (var pool = new ProcessPool(new ProcessPoolOptions { Processes = cfg.Workers, InProcess = true }))
        {
            OurBench.WarmUp(pool, cfg);
            Report("in-process mode: Apply(Trivial)", Sample(calls, () => pool.Apply(Jobs.Remote.Trivial, 1)));
        }

        // The same frames over a socket, with 2 thread wake-ups per round trip (the minimum) ...
        using (var pair = SocketPair.Create())
        {
            var echo = new Thread(() => EchoLoop(pair.B, handoff: false)) { IsBackground = true };
            echo.Start();
            Report("UDS ping-pong, 30-byte frames, 1 thread per side", Sample(calls, () => PingDirect(pair.A)));
        }

        // ... and with the hand-offs the runtime makes: worker reader → executor thread (Monitor), and the
        // parent's reader thread completing a TaskCompletionSource the caller blocks on (4 wake-ups).
        using (var pair = SocketPair.Create())
        {
            var echo = new Thread(() => EchoLoop(pair.B, handoff: true)) { IsBackground = true };
            echo.Start();
            var reader = new ParentReader(pair.A);
            Report("UDS ping-pong with the runtime's 2 thread hand-offs per side", Sample(calls, () => reader.RoundTrip()));
        }
    }

    private static void PingDirect(Socket s)
    {
        Span<byte> frame = stackalloc byte[30];
        s.Send(frame);
        ReceiveExactly(s, frame);
    }

    private static void EchoLoop(Socket s, bool handoff)
    {
        var frame = new byte[30];
        var queue = new Queue<byte[]>();
        if (handoff)
        {
            var executor = new Thread(() =>
            {
                while (true)
                {
                    byte[] item;
                    lock (queue)
                    {
                        while (queue.Count == 0)
                        {
                            Monitor.Wait(queue);
                        }

                        item = queue.Dequeue();
                    }

                    s.Send(item);
                }
            }) { IsBackground = true };
            executor.Start();
        }

        try
        {
            while (true)
            {
                ReceiveExactly(s, frame);
                if (handoff)
                {
                    lock (queue)
                    {
                        queue.Enqueue(frame);
                        Monitor.Pulse(queue);
                    }
                }
                else
                {
                    s.Send(frame);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or EndOfStreamException)
        {
        }
    }

    private sealed class ParentReader
    {
        private readonly Socket _socket;
        private TaskCompletionSource? _pending;

        public ParentReader(Socket socket)
        {
            _socket = socket;
            new Thread(Loop) { IsBackground = true }.Start();
        }

        public void RoundTrip()
        {
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _pending, tcs);
            _socket.Send(new byte[30]);
            tcs.Task.GetAwaiter().GetResult();
        }

        private void Loop()
        {
            var frame = new byte[30];
            try
            {
                while (true)
                {
                    ReceiveExactly(_socket, frame);
                    Volatile.Read(ref _pending)!.TrySetResult();
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or EndOfStreamException)
            {
            }
        }
    }

    // ------------------------------------------------------------------ (b)

    private static void Map(BenchConfig cfg)
    {
        int n = cfg.MapItems;
        Section($"(b) map of {n:N0} ints: where the parent's time goes");
        int[] items = Enumerable.Range(0, n).ToArray();
        Report("Enumerable.Range(0, n).ToArray()", Repeat(5, () => Enumerable.Range(0, n).ToArray()), perItem: n);

        ArgumentWriter write = static (ref MemoryPackWriter<PayloadBuffer> w, int v) => w.WriteValue(v);
        Report("MemoryPack: write n ints one by one through the generated-style delegate", Repeat(5, () =>
        {
            using var buffer = new PayloadBuffer(n * 4 + 64);
            PayloadBuffer b = buffer;
            var writer = new MemoryPackWriter<PayloadBuffer>(ref b, MemoryPackWriterOptionalStatePool.Rent(null));
            foreach (int item in items)
            {
                write(ref writer, item);
            }

            writer.Flush();
        }), perItem: n);

        byte[] encoded = MemoryPackSerializer.Serialize(items)[4..];
        var results = new int[n];
        Report("MemoryPack: read n ints one by one (ReadValue<int>)", Repeat(5, () =>
        {
            var reader = new MemoryPackReader(encoded, MemoryPackReaderOptionalStatePool.Rent(null));
            for (int i = 0; i < results.Length; i++)
            {
                results[i] = reader.ReadValue<int>();
            }

            reader.Dispose();
        }), perItem: n);
        Report("MemoryPack: the whole int[] at once (Serialize, a memcpy)", Repeat(5, () => MemoryPackSerializer.Serialize(items)), perItem: n);

        using var pool = new ProcessPool(cfg.Workers);
        OurBench.WarmUp(pool, cfg);
        foreach (int chunk in new[] { OurBench.PythonChunkSize(n, cfg.Workers), n / 32, n / 128, n / 2 })
        {
            pool.Map(Jobs.Remote.Trivial, items, chunk);
            Report($"pool.Map(int[n], chunkSize {chunk:N0})", Repeat(5, () => pool.Map(Jobs.Remote.Trivial, items, chunk)), perItem: n);
        }
    }

    private delegate void ArgumentWriter(ref MemoryPackWriter<PayloadBuffer> writer, int value);

    // ------------------------------------------------------------------ (c), (f)

    private static async Task SmallTasksAsync(BenchConfig cfg)
    {
        int n = cfg.Chunk1Items;
        Section($"(c)/(f) one task per item, {n:N0} items: per-task cost");
        using (var pool = new ProcessPool(cfg.Workers))
        {
            OurBench.WarmUp(pool, cfg);
            int[] items = Enumerable.Range(0, n).ToArray();
            foreach (int chunk in new[] { 1, 4, 16, 64 })
            {
                Report($"pool.Map(chunkSize {chunk})", Repeat(3, () => pool.Map(Jobs.Remote.Trivial, items, chunk)), perItem: n);
            }

            Report("ApplyAsync × n, then wait all", Repeat(3, () =>
            {
                AsyncResult<int>[] all = items.Select(i => pool.ApplyAsync(Jobs.Remote.Trivial, i)).ToArray();
                foreach (AsyncResult<int> r in all)
                {
                    r.Wait();
                }
            }), perItem: n);
            await Task.Yield();
        }

        using (var pair = SocketPair.Create())
        {
            var drain = new Thread(() =>
            {
                var sink = new byte[64 * 1024];
                try
                {
                    while (pair.B.Receive(sink) > 0)
                    {
                    }
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                }
            }) { IsBackground = true };
            drain.Start();
            var frame = new byte[30];
            Report("one send() syscall of a 30-byte frame on a Unix socket", Repeat(3, () =>
            {
                for (int i = 0; i < n; i++)
                {
                    pair.A.Send(frame);
                }
            }), perItem: n);
            var batch = new byte[30 * 64];
            Report("the same frames sent 64 per send()", Repeat(3, () =>
            {
                for (int i = 0; i < n / 64; i++)
                {
                    pair.A.Send(batch);
                }
            }), perItem: n);
        }
    }

    // ------------------------------------------------------------------ (d)

    private static void Payload(BenchConfig cfg)
    {
        int size = cfg.PayloadMb * MB;
        Section($"(d) {cfg.PayloadMb} MB echo: the copies, one by one");
        byte[] payload = new byte[size];
        Random.Shared.NextBytes(payload);
        byte[] target = new byte[size];
        target.AsSpan().Fill(1);
        Report("memcpy into a touched array", Repeat(5, () => payload.AsSpan().CopyTo(target)), bytes: size);
        Report("new byte[] + first write (page faults)", Repeat(5, () =>
        {
            var fresh = GC.AllocateUninitializedArray<byte>(size);
            payload.AsSpan().CopyTo(fresh);
        }), bytes: size);
        Report("MemoryPack: write byte[] into a PayloadBuffer (the caller's encode)", Repeat(5, () =>
        {
            using var buffer = new PayloadBuffer(256);
            PayloadBuffer b = buffer;
            var writer = new MemoryPackWriter<PayloadBuffer>(ref b, MemoryPackWriterOptionalStatePool.Rent(null));
            writer.WriteValue(payload);
            writer.Flush();
        }), bytes: size);
        byte[] encoded = MemoryPackSerializer.Serialize(payload);
        Report("MemoryPack: Deserialize<byte[]> (new array + copy)", Repeat(5, () => MemoryPackSerializer.Deserialize<byte[]>(encoded)), bytes: size);

        foreach (int sendBuffer in new[] { 0, 4 * 1024 * 1024 })
        {
            using var pair = SocketPair.Create(sendBuffer);
            var sink = new byte[size];
            var done = new SemaphoreSlim(0);
            var receiver = new Thread(() =>
            {
                try
                {
                    while (true)
                    {
                        ReceiveExactly(pair.B, sink);
                        done.Release();
                    }
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or EndOfStreamException)
                {
                }
            }) { IsBackground = true };
            receiver.Start();
            Report($"Unix socket, one direction, thread to thread (SO_SNDBUF/RCVBUF {(sendBuffer == 0 ? "default " + pair.A.SendBufferSize : sendBuffer.ToString(System.Globalization.CultureInfo.InvariantCulture))})", Repeat(5, () =>
            {
                int offset = 0;
                while (offset < size)
                {
                    offset += pair.A.Send(payload, offset, size - offset, SocketFlags.None);
                }

                done.Wait();
            }), bytes: size);
        }

        using var pool = new ProcessPool(1);
        OurBench.WarmUp(pool, cfg);
        foreach (int mb in new[] { 1, 10, cfg.PayloadMb })
        {
            byte[] p = payload[..(mb * MB)];
            pool.Apply(Jobs.Remote.Identity, p);
            Report($"pool.Apply(Identity, {mb} MB) round trip", Repeat(5, () => pool.Apply(Jobs.Remote.Identity, p)), bytes: mb * MB);
        }

        using (var inProcess = new ProcessPool(new ProcessPoolOptions { Processes = 1, InProcess = true }))
        {
            inProcess.Apply(Jobs.Remote.Identity, payload);
            Report($"in-process mode: Apply(Identity, {cfg.PayloadMb} MB) (serialization path, no socket)", Repeat(5, () => inProcess.Apply(Jobs.Remote.Identity, payload)), bytes: size);
        }

        long before = GC.CollectionCount(2);
        for (int i = 0; i < 5; i++)
        {
            pool.Apply(Jobs.Remote.Identity, payload);
        }

        Console.WriteLine($"  parent gen-2 collections during 5 echoes of {cfg.PayloadMb} MB: {GC.CollectionCount(2) - before}");
    }

    // ------------------------------------------------------------------ (e)

    private static void ColdStart(BenchConfig cfg)
    {
        Section("(e) cold start: new pool → first result, and its floor");
        string? depsFiles = AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string;
        string deps = depsFiles!.Split(';').First(d => !d.Contains("/shared/", StringComparison.Ordinal));
        string runtimeConfig = deps[..^".deps.json".Length] + ".runtimeconfig.json";
        string runtimeDll = typeof(ProcessPool).Assembly.Location;
        string muxer = Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        int runs = Math.Max(cfg.ColdRuns, 5);

        Report("Process.Start(/bin/true) + WaitForExit", Repeat(runs, () => RunToExit("/bin/true")), unit: "ms");
        Report("dotnet exec ParallelGen.dll (no worker args: runtime start, Main, exit)", Repeat(runs, () =>
            RunToExit(muxer, "exec", "--runtimeconfig", runtimeConfig, "--depsfile", deps, runtimeDll)), unit: "ms");
        using (var env = new EnvScope("DOTNET_TieredPGO", "0"))
        {
            Report("  same with DOTNET_TieredPGO=0", Repeat(runs, () =>
                RunToExit(muxer, "exec", "--runtimeconfig", runtimeConfig, "--depsfile", deps, runtimeDll)), unit: "ms");
        }

        foreach ((int workers, string? knob) in new (int, string?)[] { (1, null), (2, null), (1, "DOTNET_TieredPGO=0"), (1, "DOTNET_TieredCompilation=0"), (1, "DOTNET_ReadyToRun=0") })
        {
            var scopes = (knob ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(kv => new EnvScope(kv.Split('=')[0], kv.Split('=')[1])).ToList();
            string label = knob is null ? "" : $" [workers with {knob}]";
            var ctor = new List<double>();
            var first = new List<double>();
            var all = new List<double>();
            for (int i = 0; i < runs; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                var pool = new ProcessPool(workers);
                ctor.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                pool.Apply(Jobs.Remote.Trivial, 1);
                first.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                AsyncResult<int>[] probes = Enumerable.Range(0, workers * 4).Select(_ => pool.ApplyAsync(Jobs.Remote.Pid)).ToArray();
                int distinct = probes.Select(p => p.Get()).Distinct().Count();
                all.Add(distinct == workers ? Stopwatch.GetElapsedTime(t0).TotalMilliseconds : double.NaN);
                pool.Dispose();
            }

            scopes.ForEach(scope => scope.Dispose());
            Report($"new ProcessPool({workers}): constructor{label}", ctor, unit: "ms");
            Report($"new ProcessPool({workers}) → first Apply result{label}", first, unit: "ms");
            Report($"new ProcessPool({workers}) → every worker answered{label}", all.Where(double.IsFinite).ToList(), unit: "ms");
        }
    }

    private static void RunToExit(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process p = Process.Start(start)!;
        p.StandardError.ReadToEnd();
        p.WaitForExit();
    }

    private sealed class EnvScope : IDisposable
    {
        private readonly string _name;
        private readonly string? _old;

        public EnvScope(string name, string value)
        {
            _name = name;
            _old = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose() => Environment.SetEnvironmentVariable(_name, _old);
    }

    // ------------------------------------------------------------------ RSS

    private static void Rss(BenchConfig cfg)
    {
        Section("worker memory: RSS vs managed heap (one worker)");
        using var pool = new ProcessPool(1);
        OurBench.WarmUp(pool, cfg);
        int pid = pool.Apply(Jobs.Remote.Pid);
        void Show(string when)
        {
            (long heap, long committed, long rss) = pool.Apply(Probes.Remote.Memory, false);
            Console.WriteLine($"  {when,-48} RSS {ProcStats.RssMb(pid),7:N1} MB (worker's own view {rss / 1e6,7:N1}), GC heap {heap / 1e6,6:N1} MB, GC committed {committed / 1e6,6:N1} MB");
        }

        Show("idle after warm-up");
        pool.Apply(Probes.Remote.Memory, true);
        Show("after a full GC in the worker");
        byte[] payload = new byte[cfg.PayloadMb * MB];
        for (int i = 1; i <= 3; i++)
        {
            pool.Apply(Jobs.Remote.Identity, payload);
            Show($"after {i} echo(es) of {cfg.PayloadMb} MB");
        }

        pool.Apply(Probes.Remote.Memory, true);
        Show("after those, and a full GC in the worker");
        Console.WriteLine($"  parent: RSS {ProcStats.RssMb(Environment.ProcessId):N1} MB, GC heap {GC.GetTotalMemory(false) / 1e6:N1} MB");
    }

    // ------------------------------------------------------------------ helpers

    private static void Section(string title)
    {
        Console.WriteLine();
        Console.WriteLine($"== {title} [load {ProcStats.LoadAverage()}]");
    }

    private static List<double> Sample(int n, Action action)
    {
        var us = new List<double>(n);
        for (int i = 0; i < n; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            action();
            us.Add(Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
        }

        return us;
    }

    private static List<double> Repeat(int n, Action action) => Sample(n, action).Select(us => us / 1000).ToList();

    

    private static void Report(string what, List<double> samples, string unit = "µs", Action? then = null, int perItem = 0, int bytes = 0)
    {
        then?.Invoke();
        if (perItem > 0 || bytes > 0)
        {
            unit = "ms";
        }

        List<double> s = samples.Order().ToList();
        double median = Stats.Median(s);
        string extra = perItem > 0 ? $"  = {median * 1e6 / perItem,8:N1} ns/item, {perItem / (median / 1000),14:N0} items/s"
            : bytes > 0 ? $"  = {bytes / (median / 1000) / 1e6,8:N0} MB/s"
            : "";
        if (unit == "µs")
        {
            Console.WriteLine($"  {what,-72} median {median,9:N1} µs  p90 {Stats.Percentile(s, 90),9:N1}  min {s[0],9:N1}{extra}");
        }
        else
        {
            Console.WriteLine($"  {what,-72} median {median,9:N2} ms  min {s[0],9:N2}{extra}");
        }
    }

    private static void ReceiveExactly(Socket s, Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            int n = s.Receive(buffer);
            if (n == 0)
            {
                throw new EndOfStreamException();
            }

            buffer = buffer[n..];
        }
    }

    /// <summary>Two connected Unix stream sockets in this process (abstract-namespace address).</summary>
    private sealed class SocketPair : IDisposable
    {
        private SocketPair(Socket a, Socket b)
        {
            A = a;
            B = b;
        }

        public Socket A { get; }

        public Socket B { get; }

        public static SocketPair Create(int bufferSize = 0)
        {
            var endpoint = new UnixDomainSocketEndPoint("\0parallelgen-bench-" + Guid.NewGuid().ToString("N"));
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(endpoint);
            listener.Listen(1);
            var a = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            if (bufferSize > 0)
            {
                a.SendBufferSize = bufferSize;
                a.ReceiveBufferSize = bufferSize;
            }

            a.Connect(endpoint);
            Socket b = listener.Accept();
            if (bufferSize > 0)
            {
                b.SendBufferSize = bufferSize;
                b.ReceiveBufferSize = bufferSize;
            }

            return new SocketPair(a, b);
        }

        public void Dispose()
        {
            A.Dispose();
            B.Dispose();
        }
    }
}

using System;
using System.IO;
using ParallelGen;

namespace SharedState;

/// <summary>The work the sample's worker processes do.</summary>
public static partial class Jobs
{
    /// <summary>Python's recipe <c>def f(conn): conn.send([42, None, 'hello']); conn.close()</c>, as a conversation.</summary>
    [ProcessParallel]
    public static void Greeter(ProcessPipe<string> conn)
    {
        using (conn)
        {
            conn.Send($"hello from process {Environment.ProcessId}");
            for (string question = conn.Receive(); question != "bye"; question = conn.Receive())
            {
                conn.Send($"{question.Length} letters in '{question}'");
            }
        }
    }

    /// <summary>Sends numbers to whoever holds the other end, then ends (its end closes with the process).</summary>
    [ProcessParallel]
    public static void Producer(ProcessPipe<int> output, int count)
    {
        for (int i = 1; i <= count; i++)
        {
            output.Send(i * i);
        }
    }

    /// <summary>Adds up what arrives until the other end is closed.</summary>
    [ProcessParallel]
    public static long Consumer(ProcessPipe<int> input)
    {
        long sum = 0;
        try
        {
            while (true)
            {
                sum += input.Receive();
            }
        }
        catch (EndOfStreamException)
        {
            return sum;
        }
    }

    /// <summary>Stores a result under its input, from whichever worker runs it.</summary>
    [ProcessParallel]
    public static void Square(ProcessDictionary<int, (int Square, int Worker)> results, int x) =>
        results[x] = (x * x, Environment.ProcessId);

    /// <summary>Bumps a counter kept in a dictionary: read, add one, write; correct only under the lock.</summary>
    [ProcessParallel]
    public static void Bump(ProcessLock gate, ProcessDictionary<string, int> counter, int times)
    {
        for (int i = 0; i < times; i++)
        {
            using (gate.Acquire())
            {
                counter["hits"] = counter["hits"] + 1;
            }
        }
    }

    /// <summary>Fills elements [start, end) of the shared array with sin(i / 1000).</summary>
    [ProcessParallel]
    public static int Fill(SharedArray<double> data, int start, int end)
    {
        Span<double> span = data.AsSpan(start, end - start);
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = Math.Sin((start + i) / 1000.0);
        }

        return Environment.ProcessId;
    }
}

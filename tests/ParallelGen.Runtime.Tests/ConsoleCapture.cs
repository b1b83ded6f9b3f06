using System;
using System.IO;
using System.Text;
using System.Threading;

namespace ParallelGen.Runtime.Tests;

/// <summary>
/// Captures the parent's Console.Out (where workers' output is forwarded) and lets a test wait for a line:
/// the event a test synchronises on instead of sleeping.
/// </summary>
public sealed class ConsoleCapture : IDisposable
{
    private readonly TextWriter _original;
    private readonly Writer _writer = new();

    public ConsoleCapture()
    {
        _original = Console.Out;
        Console.SetOut(_writer);
    }

    public string Text
    {
        get
        {
            lock (_writer.Gate)
            {
                return _writer.Buffer.ToString();
            }
        }
    }

    /// <summary>Waits until the captured text contains <paramref name="expected"/>.</summary>
    public bool WaitFor(string expected, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_writer.Gate)
        {
            while (!_writer.Buffer.ToString().Contains(expected, StringComparison.Ordinal))
            {
                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0)
                {
                    return false;
                }

                Monitor.Wait(_writer.Gate, (int)remaining);
            }

            return true;
        }
    }

    public void Dispose() => Console.SetOut(_original);

    private sealed class Writer : TextWriter
    {
        public object Gate { get; } = new();

        public StringBuilder Buffer { get; } = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (Gate)
            {
                Buffer.Append(value);
                Monitor.PulseAll(Gate);
            }
        }

        public override void Write(string? value)
        {
            lock (Gate)
            {
                Buffer.Append(value);
                Monitor.PulseAll(Gate);
            }
        }
    }
}

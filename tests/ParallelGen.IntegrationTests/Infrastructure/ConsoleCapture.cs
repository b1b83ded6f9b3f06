using System;
using System.IO;
using System.Text;
using System.Threading;

namespace ParallelGen.IntegrationTests.Infrastructure;

/// <summary>
/// Replaces the test process's <see cref="Console.Out"/>, where the pool writes its workers' forwarded output,
/// and lets a test wait for a line to arrive: the event tests synchronise on instead of sleeping.
/// </summary>
public sealed class ConsoleCapture : IDisposable
{
    private readonly TextWriter _original;
    private readonly CapturingWriter _writer = new();

    public ConsoleCapture()
    {
        _original = Console.Out;
        Console.SetOut(_writer);
    }

    /// <summary>Everything written so far.</summary>
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

    /// <summary>Blocks until the captured text contains <paramref name="expected"/>, or <paramref name="timeout"/> passes.</summary>
    /// <returns>True if the text arrived.</returns>
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

                Monitor.Wait(_writer.Gate, (int)Math.Min(remaining, int.MaxValue));
            }

            return true;
        }
    }

    public void Dispose() => Console.SetOut(_original);

    private sealed class CapturingWriter : TextWriter
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

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));
    }
}

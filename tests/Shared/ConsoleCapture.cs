using System;
using System.IO;
using System.Text;
using System.Threading;

namespace ParallelGen.Testing;

/// <summary>
/// Replaces the test process's <see cref="Console.Out"/> (or <see cref="Console.Error"/>), where the pool writes its
/// workers' forwarded output, and lets a test wait for a line to arrive: the event tests synchronise on instead of
/// sleeping.
/// </summary>
public sealed class ConsoleCapture : IDisposable
{
    private readonly TextWriter _original;
    private readonly bool _error;
    private readonly CapturingWriter _writer = new();

    /// <summary>Starts capturing <see cref="Console.Out"/>, or <see cref="Console.Error"/> if <paramref name="error"/> is true.</summary>
    public ConsoleCapture(bool error = false)
    {
        _error = error;
        _original = error ? Console.Error : Console.Out;
        if (error)
        {
            Console.SetError(_writer);
        }
        else
        {
            Console.SetOut(_writer);
        }
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

    public void Dispose()
    {
        if (_error)
        {
            Console.SetError(_original);
        }
        else
        {
            Console.SetOut(_original);
        }
    }

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

using System;
using System.IO;
using System.Text;
using ParallelGen.Transport;

namespace ParallelGen.Hosting;

/// <summary>
/// Replaces <see cref="Console.Out"/> and <see cref="Console.Error"/> in a worker. Text goes to the parent as
/// Output frames on the same socket as results (stdout stays free of protocol bytes, and a call's output
/// reaches the parent before its result). Lines are sent as they complete; the rest when a call ends.
/// </summary>
internal sealed class ConsoleForwarder : TextWriter
{
    private const int MaxBufferedChars = 8 * 1024;
    private readonly FrameSender _sender;
    private readonly long _stream;
    private readonly StringBuilder _pending = new();

    private ConsoleForwarder(FrameSender sender, long stream)
    {
        _sender = sender;
        _stream = stream;
    }

    public override Encoding Encoding => Encoding.UTF8;

    public static TextWriter Create(FrameSender sender, long stream) => Synchronized(new ConsoleForwarder(sender, stream));

    public override void Write(char value)
    {
        _pending.Append(value);
        if (value == '\n' || _pending.Length >= MaxBufferedChars)
        {
            Flush();
        }
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        _pending.Append(value);
        if (value.Contains('\n', StringComparison.Ordinal) || _pending.Length >= MaxBufferedChars)
        {
            Flush();
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Flush()
    {
        if (_pending.Length == 0)
        {
            return;
        }

        byte[] text = Encoding.UTF8.GetBytes(_pending.ToString());
        _pending.Clear();
        _sender.Send(FrameKind.Output, _stream, text);
    }
}

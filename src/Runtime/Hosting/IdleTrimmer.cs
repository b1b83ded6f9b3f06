using System;
using ParallelGen.Serialization;

namespace ParallelGen.Hosting;

/// <summary>
/// Gives memory back after large payloads. While large calls keep coming, their buffers are reused (no fresh pages
/// to fault in); about a second after the last one, the pooled large buffers are dropped and a compacting,
/// decommitting collection returns the pages to the system, so an idle worker goes back to its idle size.
/// </summary>
internal sealed class IdleTrimmer : IDisposable
{
    private static readonly TimeSpan s_delay = TimeSpan.FromSeconds(1);

    private readonly Func<bool> _isIdle;
    private readonly DedicatedTimer _timer;

    /// <param name="isIdle">True when no call is running or queued: trimming then costs no call anything.</param>
    public IdleTrimmer(Func<bool> isIdle)
    {
        _isIdle = isIdle;
        _timer = new DedicatedTimer("ParallelGen worker trim", Trim);
    }

    /// <summary>A call moved a large payload: trim a second after the last such call.</summary>
    public void LargePayloadMoved() => _timer.Arm(s_delay);

    public void Dispose() => _timer.Dispose();

    private void Trim()
    {
        if (!_isIdle())
        {
            LargePayloadMoved(); // busy: look again later
            return;
        }

        ByteBuffers.DropLarge();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}

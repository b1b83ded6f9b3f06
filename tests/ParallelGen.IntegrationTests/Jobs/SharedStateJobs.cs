using System;
using System.IO;
using System.Threading;

namespace ParallelGen.IntegrationTests.Jobs;

/// <summary>Methods that share state with the caller and with each other: pipes, manager objects, locks, shared memory.</summary>
public static partial class SharedStateJobs
{
    /// <summary>Answers each message with its upper-case form until "stop"; returns how many it answered.</summary>
    [ProcessParallel]
    public static int Echo(ProcessPipe<string> end)
    {
        int answered = 0;
        using (end)
        {
            for (string message = end.Receive(); message != "stop"; message = end.Receive())
            {
                end.Send(message.ToUpperInvariant());
                answered++;
            }
        }

        return answered;
    }

    /// <summary>Sends 0 to <paramref name="count"/> - 1 and returns without closing: the end closes when its process exits.</summary>
    [ProcessParallel]
    public static void SendNumbers(ProcessPipe<int> end, int count)
    {
        for (int i = 0; i < count; i++)
        {
            end.Send(i);
        }
    }

    /// <summary>Sends <paramref name="count"/> numbers, says so on <paramref name="sent"/>, then hangs until killed.</summary>
    [ProcessParallel]
    public static void SendNumbersThenHang(ProcessPipe<int> end, int count, ProcessEvent sent)
    {
        SendNumbers(end, count);
        sent.Set();
        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>Adds up numbers until the other end closes.</summary>
    [ProcessParallel]
    public static long SumUntilEnd(ProcessPipe<int> end)
    {
        long sum = 0;
        try
        {
            while (true)
            {
                sum += end.Receive();
            }
        }
        catch (EndOfStreamException)
        {
            return sum;
        }
    }

    /// <summary>The exception type a receive with a timeout of <paramref name="milliseconds"/> ends with.</summary>
    [ProcessParallel]
    public static string ReceiveOutcome(ProcessPipe<int> end, int milliseconds)
    {
        try
        {
            return "received " + end.Receive(TimeSpan.FromMilliseconds(milliseconds));
        }
        catch (Exception exception) when (exception is TimeoutException or EndOfStreamException or ObjectDisposedException)
        {
            return exception.GetType().Name;
        }
    }

    /// <summary>TryAdds keys 0 to <paramref name="count"/> - 1 with value <paramref name="worker"/>; returns how many it added.</summary>
    [ProcessParallel]
    public static int TryAddKeys(ProcessDictionary<int, int> dictionary, int worker, int count)
    {
        int added = 0;
        for (int i = 0; i < count; i++)
        {
            if (dictionary.TryAdd(i, worker))
            {
                added++;
            }
        }

        return added;
    }

    /// <summary>Stores "item i" under key i.</summary>
    [ProcessParallel]
    public static void Store(ProcessDictionary<int, string> dictionary, int i) => dictionary[i] = "item " + i;

    /// <summary>Reads key <paramref name="key"/>.</summary>
    [ProcessParallel]
    public static string Read(ProcessDictionary<int, string> dictionary, int key) => dictionary[key];

    /// <summary>Appends <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1 in order.</summary>
    [ProcessParallel]
    public static void Append(ProcessList<int> list, int first, int count)
    {
        for (int i = first; i < first + count; i++)
        {
            list.Add(i);
        }
    }

    /// <summary>A read-modify-write that is only correct under the lock: reads "count", writes it back plus one.</summary>
    [ProcessParallel]
    public static void CountUnderLock(ProcessLock gate, ProcessDictionary<string, int> counter, int times)
    {
        for (int i = 0; i < times; i++)
        {
            using (gate.Acquire())
            {
                counter["count"] = counter["count"] + 1;
            }
        }
    }

    /// <summary>Takes the lock, says so, and hangs holding it until killed.</summary>
    [ProcessParallel]
    public static void HoldLockAndHang(ProcessLock gate, ProcessEvent holding)
    {
        gate.Acquire();
        holding.Set();
        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>Tries to take the lock for <paramref name="milliseconds"/>; releases it if it got it.</summary>
    [ProcessParallel]
    public static bool TryLock(ProcessLock gate, int milliseconds)
    {
        if (!gate.TryAcquire(TimeSpan.FromMilliseconds(milliseconds)))
        {
            return false;
        }

        gate.Release();
        return true;
    }

    /// <summary>Waits for the event at most <paramref name="milliseconds"/> (-1: forever).</summary>
    [ProcessParallel]
    public static bool WaitForEvent(ProcessEvent ready, int milliseconds) => ready.Wait(TimeSpan.FromMilliseconds(milliseconds));

    /// <summary>Waits for a semaphore slot at most <paramref name="milliseconds"/> (-1: forever).</summary>
    [ProcessParallel]
    public static bool WaitForSlot(ProcessSemaphore slots, int milliseconds) => slots.Wait(TimeSpan.FromMilliseconds(milliseconds));

    /// <summary>
    /// <paramref name="rounds"/> rounds of: write the round into this party's cell, meet the others, check that every
    /// party's cell has reached this round. Returns how many cells lagged (0 when the barrier holds everyone).
    /// </summary>
    [ProcessParallel]
    public static int MeetEachRound(ProcessBarrier barrier, SharedArray<int> progress, int party, int rounds)
    {
        int lagging = 0;
        for (int round = 1; round <= rounds; round++)
        {
            Volatile.Write(ref progress[party], round);
            barrier.SignalAndWait();
            for (int other = 0; other < progress.Length; other++)
            {
                if (Volatile.Read(ref progress[other]) < round)
                {
                    lagging++;
                }
            }

            barrier.SignalAndWait();
        }

        return lagging;
    }

    /// <summary>Increments the shared counter <paramref name="times"/> times.</summary>
    [ProcessParallel]
    public static void Increment(SharedValue<long> counter, int times)
    {
        for (int i = 0; i < times; i++)
        {
            counter.Increment();
        }
    }

    /// <summary>Fills elements [<paramref name="start"/>, <paramref name="end"/>) with index × 0.5.</summary>
    [ProcessParallel]
    public static void Fill(SharedArray<double> array, int start, int end)
    {
        Span<double> span = array.AsSpan(start, end - start);
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = (start + i) * 0.5;
        }
    }

    /// <summary>Adds up a shared array as this worker sees it.</summary>
    [ProcessParallel]
    public static double Sum(SharedArray<double> array)
    {
        double sum = 0;
        foreach (double value in array.AsSpan())
        {
            sum += value;
        }

        return sum;
    }

    /// <summary>
    /// Creates shared memory here, hands it to a process of its own (which maps it and then hangs) and reports that
    /// process's id; then hangs too, so the test can kill this "caller" with SIGKILL.
    /// </summary>
    [ProcessParallel]
    public static void ShareWithGrandchild(ProcessPipe<int> report, ProcessEvent mapped, ProcessPipe<int> watched)
    {
        var array = new SharedArray<double>(1_000_000);
        array[0] = 42;
        WorkerProcess grandchild = WorkerProcess.Start(Remote.MapAndHang, (array, mapped, watched));
        report.Send(grandchild.Id);
        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>Maps the array, says so once it reads what its creator wrote, and hangs holding <paramref name="watched"/>.</summary>
    [ProcessParallel]
    public static void MapAndHang(SharedArray<double> array, ProcessEvent mapped, ProcessPipe<int> watched)
    {
        if (array[0] == 42)
        {
            mapped.Set();
        }

        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>The process id, to tell workers apart.</summary>
    [ProcessParallel]
    public static int ProcessId(int ignored) => Environment.ProcessId + ignored * 0;
}

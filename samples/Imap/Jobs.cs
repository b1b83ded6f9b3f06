using System;
using System.Threading;
using ParallelGen;

namespace Imap;

/// <summary>The work of the sample: tasks that take a known time, so the order of results can be seen.</summary>
public static partial class Jobs
{
    /// <summary>Works for <paramref name="milliseconds"/>, then says which task it was and which process ran it.</summary>
    [ProcessParallel]
    public static (int Task, int Milliseconds, int ProcessId) Work(int task, int milliseconds)
    {
        Thread.Sleep(milliseconds); // stands in for real work
        return (task, milliseconds, Environment.ProcessId);
    }

    /// <summary>Like <see cref="Work"/>, but task 3 throws.</summary>
    [ProcessParallel]
    public static int WorkOrFail(int task)
    {
        Thread.Sleep(50);
        return task == 3 ? throw new ArgumentException($"task {task} is unlucky") : task;
    }
}

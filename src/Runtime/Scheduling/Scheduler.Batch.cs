using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using ParallelGen.Backends;

namespace ParallelGen.Scheduling;

/// <summary>What a pump fills: the batch lists it reuses, and what one of its rounds decided.</summary>
internal sealed partial class Scheduler
{
    /// <summary>The batch list <see cref="Pump()"/> fills, kept per thread (see <see cref="RentBatch"/>).</summary>
    [ThreadStatic]
    private static List<PoolTask>? t_batch;

    [ThreadStatic]
    private static List<PoolTask>? t_nestedBatch;

    /// <summary>
    /// Batch lists are kept per thread and reused: a pump runs after every answer. A pump nested in another on the
    /// same thread (stealing withdraws a call, and a backend may report the withdrawal from inside that call) takes
    /// the second one; a deeper one makes its own.
    /// </summary>
    private static List<PoolTask> RentBatch()
    {
        List<PoolTask>? batch = t_batch;
        if (batch is not null)
        {
            t_batch = null;
            return batch;
        }

        batch = t_nestedBatch ?? new List<PoolTask>(PipelineDepth);
        t_nestedBatch = null;
        return batch;
    }

    private static void ReturnBatch(List<PoolTask> batch)
    {
        batch.Clear();
        if (t_batch is null)
        {
            t_batch = batch;
        }
        else
        {
            t_nestedBatch = batch;
        }
    }

    /// <summary>What one round of the pump decided under the lock.</summary>
    private struct PumpRound
    {
        /// <summary>The worker that got a batch (its send lock is held) or, with none, had room for one.</summary>
        public WorkerState? Worker;

        /// <summary>Workers that had room when it was picked.</summary>
        public int Candidates;

        /// <summary>With no batch: the worker to take <see cref="Stolen"/> back from, for the idle one.</summary>
        public WorkerState? Victim;

        public PoolTask? Stolen;
    }

    /// <summary>Room for one batch of calls on the stack.</summary>
    [InlineArray(PipelineDepth)]
    private struct CallBuffer
    {
        private (long CallId, EncodedCall Call) _first;
    }
}

using System;
using System.Collections.Generic;
using NUnit.Framework;
using ParallelGen.Scheduling;
using Shouldly;

namespace ParallelGen.Runtime.Tests.Scheduling;

/// <summary>The scheduler's queue and in-flight lists: a ring buffer that must behave exactly like a list.</summary>
public class TaskDequeTests
{
    [Test]
    public void AddingAndTakingAtBothEnds_AcrossGrowthAndWrapAround_KeepsTheOrder()
    {
        var deque = new TaskDeque();
        var model = new List<PoolTask>();
        var random = new Random(12345);
        for (int step = 0; step < 20_000; step++)
        {
            PoolTask task = FakeBackend.Square(step).Task;
            switch (random.Next(6))
            {
                case 0 or 1:
                    deque.AddLast(task);
                    model.Add(task);
                    break;
                case 2:
                    deque.AddFirst(task);
                    model.Insert(0, task);
                    break;
                case 3 when model.Count > 0:
                    deque.RemoveFirst().ShouldBeSameAs(model[0]);
                    model.RemoveAt(0);
                    break;
                case 4 when model.Count > 0:
                    int index = random.Next(model.Count);
                    deque.RemoveAt(index);
                    model.RemoveAt(index);
                    break;
                case 5 when model.Count > 0:
                    PoolTask victim = model[random.Next(model.Count)];
                    deque.Remove(victim).ShouldBeTrue();
                    model.Remove(victim);
                    break;
            }

            deque.Count.ShouldBe(model.Count);
            deque.First.ShouldBeSameAs(model.Count > 0 ? model[0] : null);
        }

        var copied = new List<PoolTask>();
        deque.CopyTo(copied);
        copied.ShouldBe(model);
    }

    [Test]
    public void Remove_OfATaskNotThere_ChangesNothing()
    {
        var deque = new TaskDeque();
        PoolTask kept = FakeBackend.Square(1).Task;
        deque.AddLast(kept);
        deque.Remove(FakeBackend.Square(2).Task).ShouldBeFalse();
        deque.Count.ShouldBe(1);
        deque[0].ShouldBeSameAs(kept);
    }

    [Test]
    public void Clear_EmptiesIt_AndItTakesTasksAgain()
    {
        var deque = new TaskDeque();
        for (int i = 0; i < 100; i++)
        {
            deque.AddLast(FakeBackend.Square(i).Task);
        }

        deque.Clear();
        deque.Count.ShouldBe(0);
        deque.First.ShouldBeNull();
        PoolTask task = FakeBackend.Square(7).Task;
        deque.AddFirst(task);
        deque.RemoveFirst().ShouldBeSameAs(task);
    }
}

using System.Buffers;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NUnit.Framework;
using ParallelGen.Pool;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

/// <summary>How <c>Map</c> holds its input while it encodes the chunks: in place where it can, else a pooled copy.</summary>
public class MapInputTests
{
    [Test]
    public void AnArray_IsReadInPlace()
    {
        int[] items = [1, 2, 3];
        using var input = MapInput<int>.Of(items);
        Unsafe.AreSame(ref MemoryMarshal.GetReference(input.Items), ref items[0]).ShouldBeTrue();
        input.Items.Length.ShouldBe(3);
    }

    [Test]
    public void AList_IsReadInPlace()
    {
        var items = new List<int> { 1, 2, 3 };
        items.Capacity = 16;
        using var input = MapInput<int>.Of(items);
        Unsafe.AreSame(ref MemoryMarshal.GetReference(input.Items), ref CollectionsMarshal.AsSpan(items)[0]).ShouldBeTrue();
        input.Items.ToArray().ShouldBe(new[] { 1, 2, 3 }, "only the list's items, not its spare capacity");
    }

    [Test]
    public void AnotherCollection_IsCopiedInItsEnumerationOrder()
    {
        var items = new LinkedList<int>([5, 3, 9]);
        using var input = MapInput<int>.Of(items);
        input.Items.ToArray().ShouldBe(new[] { 5, 3, 9 });
    }

    /// <summary>A pooled copy of references is cleared when it goes back, so the pool does not keep the items alive.</summary>
    [Test]
    public void APooledCopyOfReferences_IsClearedWhenReturned()
    {
        string[] pooled;
        var input = MapInput<string>.Of(new HashSet<string> { "kept alive?" });
        ref string first = ref MemoryMarshal.GetReference(input.Items);
        first.ShouldBe("kept alive?");
        input.Dispose();

        // The shared pool hands the array just returned on this thread straight back.
        pooled = ArrayPool<string>.Shared.Rent(1);
        try
        {
            if (!Unsafe.AreSame(ref pooled[0], ref first))
            {
                Assert.Inconclusive("The pool handed out another array; the returned one cannot be inspected.");
            }

            pooled.ShouldAllBe(item => item == null);
        }
        finally
        {
            ArrayPool<string>.Shared.Return(pooled);
        }
    }
}

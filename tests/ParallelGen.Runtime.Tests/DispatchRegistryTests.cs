using System;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using NUnit.Framework;
using ParallelGen.Generated;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

/// <summary>The process-wide table of handles by method id, which every worker call is looked up in.</summary>
public class DispatchRegistryTests
{
    private static readonly Assembly s_assembly = typeof(DispatchRegistryTests).Assembly;

    [Test]
    public void AnIdClaimedByTwoSignatures_IsRefused_AndNoneOfThatRegistrationIsKept()
    {
        ulong id = FreshId();
        ulong bystanderId = FreshId();
        RemoteFunc<int> first = Handle("First", id);

        DispatchRegistry.Register(s_assembly, first);
        Should.Throw<InvalidOperationException>(() => DispatchRegistry.Register(s_assembly, Handle("Bystander", bystanderId), Handle("Clash", id)))
            .Message.ShouldContain("claimed by both");

        DispatchRegistry.TryGet(id, out RemoteMethod kept).ShouldBeTrue();
        kept.ShouldBeSameAs(first);
        DispatchRegistry.TryGet(bystanderId, out _).ShouldBeFalse("a refused registration publishes none of its methods");
    }

    [Test]
    public void RegisteringAHandleAgain_KeepsTheFirst_AndListsItsAssemblyOnce()
    {
        ulong id = FreshId();
        RemoteFunc<int> handle = Handle("Again", id);

        DispatchRegistry.Register(s_assembly, handle);
        DispatchRegistry.Register(s_assembly, handle, Handle("Again", id));

        DispatchRegistry.TryGet(id, out RemoteMethod kept).ShouldBeTrue();
        kept.ShouldBeSameAs(handle);
        DispatchRegistry.Assemblies.Count(assembly => assembly == s_assembly).ShouldBe(1);
    }

    private static RemoteFunc<int> Handle(string name, ulong id) =>
        new(new RemoteMethodInfo(typeof(DispatchRegistryTests), name, name + "() -> int", id), static _ => new ValueTask<int>(1));

    private static ulong FreshId() => HandWrittenHandles.StableId(Guid.NewGuid().ToString());
}

using NUnit.Framework;
using ParallelGen.Generated;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

/// <summary>
/// MemoryPack's formatter table is built on the first encode or decode, not at start: a worker whose calls move only
/// unmanaged values never pays for it, and the registrations an assembly hands over still run before any value that
/// needs them is encoded.
/// </summary>
public class LazyFormatterTests
{
    [Test]
    public void AWorker_RegistersFormattersWithItsFirstMemoryPackValue_NotBefore()
    {
        using var pool = new ProcessPool(1);

        pool.Apply(HandWrittenJobs.Remote.Square, 7).ShouldBe(49);
        pool.Apply(HandWrittenJobs.Remote.FormattersRegistered).ShouldBeFalse("ints travel as raw memory: no formatter is needed yet");

        pool.Apply(HandWrittenJobs.Remote.EchoAsync, "hello").ShouldBe("echo:hello");
        pool.Apply(HandWrittenJobs.Remote.FormattersRegistered).ShouldBeTrue("a string went through MemoryPack, so the handed-over registrations ran first");
    }

    [Test]
    public void Registrations_HandedOverAfterTheFirstMemoryPackUse_RunAtOnce()
    {
        FormatterRegistry.EnsureRegistered();
        bool ran = false;

        FormatterRegistry.Add(() => ran = true);

        ran.ShouldBeTrue();
    }
}

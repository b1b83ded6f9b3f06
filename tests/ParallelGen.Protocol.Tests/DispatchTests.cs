using MemoryPack;
using NUnit.Framework;
using Shouldly;

namespace ParallelGen.Protocol.Tests;

/// <summary>
/// A parent from a different build, through a real pool: a method id the worker's dispatch table lacks, or a known id
/// with arguments encoded for another signature, gives the caller a clear <see cref="RemoteException"/>, and the same
/// worker goes on serving calls.
/// </summary>
public class DispatchTests
{
    private ProcessPool _pool = null!;
    private int _worker;

    [OneTimeSetUp]
    public void StartPool()
    {
        _pool = new ProcessPool(1);
        _worker = _pool.Apply(ProtocolJobs.Remote.ProcessId);
    }

    [OneTimeTearDown]
    public void StopPool() => _pool.Dispose();

    [Test]
    public void UnknownMethodId_GivesARemoteExceptionNamingTheIdAndTheBuildMismatch()
    {
        ulong id = ProtocolJobs.Unregistered.Missing.Call.Info.Id;

        RemoteException error = Should.Throw<RemoteException>(() => _pool.Apply(ProtocolJobs.Unregistered.Missing, 5));

        error.RemoteType.ShouldBe(typeof(System.InvalidOperationException).FullName);
        error.Message.ShouldContain($"0x{id:X16}");
        error.Message.ShouldContain("different builds");
        error.WorkerProcessId.ShouldBe(_worker);
        AssertPoolStillServes();
    }

    [Test]
    public void KnownIdWithArgumentsForAnotherSignature_Longer_GivesAClearRemoteException()
    {
        RemoteException error = Should.Throw<RemoteException>(() => _pool.Apply(ProtocolJobs.Unregistered.SquareTakingString, "not an int"));

        error.RemoteType.ShouldBe(typeof(MemoryPackSerializationException).FullName);
        error.Message.ShouldContain("unread bytes");
        error.Message.ShouldContain("disagree on the signature");
        AssertPoolStillServes();
    }

    [Test]
    public void KnownIdWithArgumentsForAnotherSignature_Shorter_GivesAClearRemoteException()
    {
        RemoteException error = Should.Throw<RemoteException>(() => _pool.Apply(ProtocolJobs.Unregistered.SquareTakingByte, (byte)7));

        error.RemoteType.ShouldBe(typeof(MemoryPackSerializationException).FullName);
        error.WorkerProcessId.ShouldBe(_worker);
        AssertPoolStillServes();
    }

    [Test]
    public void ManyMismatchedCalls_InterleavedWithGoodOnes_AllGetTheirOwnOutcome()
    {
        var good = new AsyncResult<int>[50];
        var bad = new AsyncResult<int>[50];
        for (int i = 0; i < good.Length; i++)
        {
            bad[i] = _pool.ApplyAsync(ProtocolJobs.Unregistered.Missing, i);
            good[i] = _pool.ApplyAsync(ProtocolJobs.Remote.Square, i);
        }

        for (int i = 0; i < good.Length; i++)
        {
            good[i].Get().ShouldBe(i * i);
            Should.Throw<RemoteException>(() => bad[i].Get()).Message.ShouldContain("different builds");
        }

        AssertPoolStillServes();
    }

    private void AssertPoolStillServes()
    {
        _pool.Apply(ProtocolJobs.Remote.Square, 12).ShouldBe(144);
        _pool.Apply(ProtocolJobs.Remote.ProcessId).ShouldBe(_worker, "the worker must survive a bad call, not be replaced");
    }
}

using System;
using System.Threading.Tasks;
using NUnit.Framework;
using ParallelGen.IntegrationTests.Infrastructure;
using ParallelGen.IntegrationTests.Jobs;
using Shouldly;

namespace ParallelGen.IntegrationTests;

/// <summary>An exception thrown in a worker comes back as <see cref="RemoteException"/>.</summary>
public class ExceptionTests : PoolFixture
{
    [Test]
    public void Apply_MethodThrows_RemoteExceptionCarriesTypeMessageStackTraceAndInnerException()
    {
        RemoteException error = Should.Throw<RemoteException>(() => Pool.Apply(Failing.Remote.Fail, "boom"));

        error.RemoteType.ShouldBe("System.InvalidOperationException");
        error.Message.ShouldBe("boom");
        error.RemoteStackTrace.ShouldNotBeNull();
        error.RemoteStackTrace.ShouldContain("ParallelGen.IntegrationTests.Jobs.Failing.Fail");
        error.WorkerProcessId.ShouldNotBeNull();
        error.WorkerProcessId.ShouldNotBe(Environment.ProcessId);

        RemoteException inner = error.InnerException.ShouldBeOfType<RemoteException>();
        inner.RemoteType.ShouldBe("System.ArgumentException");
        inner.Message.ShouldStartWith("inner boom");
        inner.InnerException.ShouldBeNull();

        string text = error.ToString();
        text.ShouldContain("System.InvalidOperationException");
        text.ShouldContain("boom");
        text.ShouldContain("System.ArgumentException");
        text.ShouldContain("Failing.Fail");
    }

    [Test]
    public void ApplyAsync_AsyncMethodThrowsAfterAwait_RemoteExceptionFromAwait()
    {
        RemoteException error = Should.Throw<RemoteException>(async () => await Pool.ApplyAsync(Failing.Remote.FailAsync, "late").AsTask().WaitAsync(Patience));
        error.RemoteType.ShouldBe("System.FormatException");
        error.Message.ShouldBe("late");
        error.RemoteStackTrace.ShouldNotBeNull();
        error.RemoteStackTrace.ShouldContain("FailAsync");
    }

    [Test]
    public void Apply_VoidMethodThrows_RemoteException()
    {
        RemoteException error = Should.Throw<RemoteException>(() => Pool.Apply(Failing.Remote.FailVoid, 7));
        error.RemoteType.ShouldBe("System.ApplicationException");
        error.Message.ShouldBe("void failed with 7");
    }

    [Test]
    public async Task AfterRemoteExceptions_ThePoolKeepsWorking()
    {
        for (int i = 0; i < 4; i++)
        {
            Should.Throw<RemoteException>(() => Pool.Apply(Failing.Remote.Fail, "again " + i));
        }

        (await Pool.ApplyAsync(Shapes.Remote.Square, 11)).ShouldBe(121);
    }
}

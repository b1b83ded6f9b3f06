using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using MemoryPack;
using NUnit.Framework;
using ParallelGen.Generated;
using ParallelGen.Serialization;
using ParallelGen.Soak;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

/// <summary>
/// The short form of the chaos soak (samples/Benchmarks/ChaosSoak.cs, long form <c>--soak</c>): thousands of small and
/// large tasks while workers are SIGKILLed from outside and die of Environment.Exit, stack overflow and self-SIGKILL,
/// with MaxRetries set. Bounds for "flat" leave room for the garbage collector and thread pool, not for a leak per kill.
/// </summary>
[NonParallelizable]
public class ChaosSoakTests
{
    [Test]
    public void WorkersDieAtRandom_EveryResultArrivesOnceAndCorrect_AndNothingGrowsOrStaysBehind()
    {
        SoakFigures figures = ChaosSoak.Run(SoakHandle.Work, new SoakOptions { Rounds = 3, TasksPerRound = 600, ChaosEvery = 100, KillEvery = 120 }, TestContext.Progress.WriteLine);
        TestContext.Progress.WriteLine(figures.ToString());

        figures.Failures.ShouldBeEmpty(figures.ToString());
        figures.Lost.ShouldBe(0, figures.ToString());
        figures.Duplicated.ShouldBe(0, figures.ToString());
        figures.Wrong.ShouldBe(0, figures.ToString());
        figures.Results.ShouldBe(figures.Tasks, figures.ToString());
        figures.Kills.ShouldBeGreaterThan(0, figures.ToString());
        (figures.ChaosExits + figures.ChaosStackOverflows + figures.ChaosSelfKills).ShouldBeGreaterThan(0, figures.ToString());

        figures.WorkersLeft.ShouldBe(0, figures.ToString());
        figures.PoolAddress.ShouldNotBeNull(figures.ToString());
        figures.SocketsLeft.ShouldBe(0, figures.ToString());
        figures.FdsAtEnd.ShouldBeLessThanOrEqualTo(figures.FdsAfterFirstRound + 4, figures.ToString());
        figures.ThreadsAtEnd.ShouldBeLessThanOrEqualTo(figures.ThreadsAfterFirstRound + 2, figures.ToString());
        figures.RssAtEnd.ShouldBeLessThanOrEqualTo(figures.RssAfterFirstRound + (64L << 20), figures.ToString());
    }

    /// <summary>The soak's worker function with a hand-written handle, like <see cref="HandWrittenJobs"/>.</summary>
    public static class SoakHandle
    {
        public static readonly RemoteFunc<(int Id, byte[] Payload, int Chaos, string Markers), (int Id, long Checksum, int Pid)> Work = new(
            Info("Work", "(int, byte[], int, string) -> (int, long, int)"),
            static (ref MemoryPackWriter<PayloadBuffer> writer, (int Id, byte[] Payload, int Chaos, string Markers) args) =>
            {
                writer.WriteValue(args.Id);
                writer.WriteValue(args.Payload);
                writer.WriteValue(args.Chaos);
                writer.WriteValue(args.Markers);
            },
            static (ref MemoryPackReader reader) => (reader.ReadValue<int>(), reader.ReadValue<byte[]>()!, reader.ReadValue<int>(), reader.ReadValue<string>()!),
            static (args, cancellationToken) => new ValueTask<(int Id, long Checksum, int Pid)>(SoakWork.Run(args.Id, args.Payload, args.Chaos, args.Markers)));

        private static RemoteMethodInfo Info(string name, string signature)
        {
            string full = "ParallelGen.Runtime.Tests.ChaosSoakTests.SoakHandle." + name + signature;
            ulong hash = 14695981039346656037UL;
            foreach (char c in full)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            return new RemoteMethodInfo(typeof(SoakHandle), name, full, hash);
        }

        [ModuleInitializer]
        internal static void Register() => DispatchRegistry.Register(typeof(SoakHandle).Assembly, Work);
    }
}

using PolyType;

namespace ParallelGen.Benchmarks.RpcPeer;

/// <summary>
/// What each child process serves: the benchmark's functions (pool_bench.py's <c>trivial</c> and
/// <c>identity</c>) and a batch form of <c>trivial</c> for (b), since StreamJsonRpc has no <c>map</c>.
/// </summary>
public sealed class ChildTarget
{
    public int Trivial(int x) => x;

    public byte[] Identity(byte[] payload) => payload;

    public int[] TrivialBatch(int[] xs) => xs;
}

/// <summary>
/// Source-generated PolyType shapes for every type NerdbankMessagePackFormatter moves: without them the
/// formatter cannot serialize parameters and results.
/// </summary>
[GenerateShapeFor<int>]
[GenerateShapeFor<byte[]>]
[GenerateShapeFor<int[]>]
internal sealed partial class Witness;

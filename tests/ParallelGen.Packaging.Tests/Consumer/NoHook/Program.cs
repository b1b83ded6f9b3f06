using Consumer.Lib;
using ParallelGen;

using var pool = new ProcessPool(1);
Console.WriteLine(pool.Apply(TextJobs.Remote.Shout, "no hook"));

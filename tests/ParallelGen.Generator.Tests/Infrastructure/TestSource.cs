namespace ParallelGen.Generator.Tests.Infrastructure;

/// <summary>Boilerplate around test inputs.</summary>
public static class TestSource
{
    /// <summary>Wraps members in <c>namespace App; public static partial class Jobs { … }</c> with the usual usings.</summary>
    public static string Jobs(string members) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using ParallelGen;

        namespace App;

        public static partial class Jobs
        {
        {{members}}
        }
        """;
}

using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Reflection;
using NUnit.Framework;
using Shouldly;

namespace ParallelGen.Runtime.Tests;

/// <summary>
/// The runtime builds with the trim, single-file and AOT analysers on (IsAotCompatible in src/Runtime/ParallelGen.csproj,
/// warnings as errors). This keeps it from passing them by suppression: a NativeAOT or single-file consumer should
/// see MemoryPack.Core's own warnings only.
/// </summary>
public class AotCleanlinessTests
{
    [Test]
    public void RuntimeAssembly_SuppressesNoTrimSingleFileOrAotWarning()
    {
        const BindingFlags everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        string[] suppressed = typeof(ProcessPool).Assembly.GetTypes()
            .SelectMany(type => type.GetMembers(everything).Cast<MemberInfo>().Prepend(type))
            .SelectMany(member => member.GetCustomAttributes<UnconditionalSuppressMessageAttribute>()
                .Select(attribute => $"{member.DeclaringType?.Name ?? member.Name}.{member.Name}: {attribute.CheckId}"))
            .ToArray();

        suppressed.ShouldBeEmpty();
    }
}

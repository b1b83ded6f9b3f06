using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using NUnit.Framework;

namespace ParallelGen.Generator.Tests.Infrastructure;

/// <summary>Walks pipeline outputs by reflection and fails on anything that would pin a compilation in the cache.</summary>
public static class ModelGraph
{
    private static readonly Type[] s_forbidden =
        [typeof(Compilation), typeof(ISymbol), typeof(SyntaxNode), typeof(SemanticModel), typeof(SyntaxTree), typeof(Location)];

    public static void AssertHoldsNoRoslynObjects(object? value, string path)
    {
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Walk(value, path, visited);
    }

    private static void Walk(object? value, string path, HashSet<object> visited)
    {
        if (value is null or string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        Type type = value.GetType();
        Type? forbidden = s_forbidden.FirstOrDefault(f => f.IsAssignableFrom(type));
        Assert.That(forbidden, Is.Null, $"{path} holds a {type.FullName}, which keeps the compilation alive");

        if (!type.IsValueType && !visited.Add(value))
        {
            return;
        }

        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items)
            {
                Walk(item, $"{path}[{i++}]", visited);
            }

            return;
        }

        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                Walk(field.GetValue(value), $"{path}.{field.Name}", visited);
            }
        }
    }
}

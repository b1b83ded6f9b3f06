using System.Linq;
using Microsoft.CodeAnalysis.Text;
using ParallelGen.Generator.Model;

namespace ParallelGen.Generator.Emitting;

/// <summary>Prints one type's <c>Remote</c> class: one <c>static readonly</c> handle per method.</summary>
internal static class RemoteClassEmitter
{
    public static SourceText Emit(RemoteClassModel model)
    {
        var writer = new SourceWriter();
        FileHeader.Write(writer);

        ContainingTypeModel type = model.ContainingType;
        bool hasNamespace = type.Namespace.Length > 0;
        if (hasNamespace)
        {
            writer.OpenBlock($"namespace {type.Namespace}");
        }

        foreach (TypeDeclarationModel declaration in type.Hierarchy)
        {
            writer.OpenBlock($"partial {declaration.Keyword} {declaration.Name}");
        }

        writer.WriteLine($$"""
            /// <summary>Handles to this type's <c>[ProcessParallel]</c> methods, to pass to a <c>ProcessPool</c>.</summary>
            {{FileHeader.GeneratedCodeAttribute}}
            """);
        writer.OpenBlock($"public {(type.RemoteNeedsNew ? "new " : string.Empty)}static class {WellKnownNames.RemoteClassName}");
        for (int i = 0; i < model.Methods.Count; i++)
        {
            if (i > 0)
            {
                writer.WriteLine();
            }

            WriteHandle(writer, type, model.Methods[i]);
        }

        writer.CloseBlock();

        foreach (TypeDeclarationModel _ in type.Hierarchy)
        {
            writer.CloseBlock();
        }

        if (hasNamespace)
        {
            writer.CloseBlock();
        }

        return writer.ToSourceText();
    }

    private static void WriteHandle(SourceWriter writer, ContainingTypeModel type, ParallelMethodModel method)
    {
        writer.WriteLine("/// <summary>");
        foreach (string line in method.SummaryLines)
        {
            writer.WriteLine(line.Length == 0 ? "///" : "/// " + line);
        }

        writer.WriteLine("/// </summary>");

        string handle = GetHandleType(method);
        string info = $"new {WellKnownNames.RemoteMethodInfo}(typeof({type.FullyQualifiedName}), \"{method.Name}\", \"{method.Signature}\", 0x{method.Id:X16}UL)";
        string invocation = GetInvocation(type, method);
        if (GetArgumentsType(method) is not { } arguments)
        {
            writer.WriteLine($$"""
                {{method.FieldAccessibility}} static readonly {{handle}} {{method.Identifier}} = new {{handle}}(
                    {{info}},
                    static cancellationToken => {{invocation}});
                """);
            return;
        }

        // The writer and reader lambdas move the arguments one by one, in parameter order (no envelope type).
        writer.WriteLine($$"""
            {{method.FieldAccessibility}} static readonly {{handle}} {{method.Identifier}} = new {{handle}}(
                {{info}},
                static (ref {{WellKnownNames.MemoryPackWriter}} writer, {{arguments}} args) => {{GetWrites(method)}},
                static (ref {{WellKnownNames.MemoryPackReader}} reader) => {{GetReads(method)}},
                static (args, cancellationToken) => {{invocation}});
            """);
    }

    private static string GetHandleType(ParallelMethodModel method) => (GetArgumentsType(method), method.ResultType) switch
    {
        (null, null) => WellKnownNames.RemoteAction,
        (null, { } result) => $"{WellKnownNames.RemoteFunc}<{result}>",
        ({ } arguments, null) => $"{WellKnownNames.RemoteAction}<{arguments}>",
        ({ } arguments, { } result) => $"{WellKnownNames.RemoteFunc}<{arguments}, {result}>",
    };

    /// <summary>The single parameter's type, or a tuple named after the parameters: <c>(double[] a, double[] b)</c>.</summary>
    private static string? GetArgumentsType(ParallelMethodModel method) => method.Parameters.Count switch
    {
        0 => null,
        1 => method.Parameters[0].Type,
        _ => "(" + string.Join(", ", method.Parameters.Select(p => method.TupleHasNames ? $"{p.Type} {p.Identifier}" : p.Type)) + ")",
    };

    /// <summary><c>writer.WriteValue(args)</c>, or a block writing each tuple item.</summary>
    private static string GetWrites(ParallelMethodModel method) => method.Parameters.Count == 1
        ? "writer.WriteValue(args)"
        : "{ " + string.Concat(method.Parameters.Select((_, i) => $"writer.WriteValue(args.Item{i + 1}); ")) + "}";

    /// <summary><c>reader.ReadValue&lt;T&gt;()!</c>, or a tuple of them; nullable parameters are not null-forgiven.</summary>
    private static string GetReads(ParallelMethodModel method)
    {
        var reads = method.Parameters.Select(p => $"reader.ReadValue<{p.Type}>(){(p.IsNullable ? string.Empty : "!")}").ToList();
        return reads.Count == 1 ? reads[0] : "(" + string.Join(", ", reads) + ")";
    }

    /// <summary>The call adapted to the handle's <c>ValueTask</c>-returning delegate.</summary>
    private static string GetInvocation(ContainingTypeModel type, ParallelMethodModel method)
    {
        var arguments = method.Parameters.Count switch
        {
            0 => Enumerable.Empty<string>(),
            1 => new[] { "args" },
            _ => method.Parameters.Select((_, i) => $"args.Item{i + 1}"),
        };
        if (method.PassesCancellationToken)
        {
            arguments = arguments.Concat(new[] { "cancellationToken" });
        }

        string call = $"{type.FullyQualifiedName}.{method.Identifier}({string.Join(", ", arguments)})";
        return method.ReturnKind switch
        {
            ReturnKind.Void => $"{{ {call}; return default; }}",
            ReturnKind.Task => $"new {WellKnownNames.ValueTaskRef}({call})",
            ReturnKind.ValueTask or ReturnKind.ValueTaskOfT => call,
            _ => $"new {WellKnownNames.ValueTaskRef}<{method.ResultType}>({call})",
        };
    }
}

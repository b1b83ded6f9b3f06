using System.Linq;
using Microsoft.CodeAnalysis.Text;
using ParallelGen.Generator.Model;

namespace ParallelGen.Generator.Emitting;

/// <summary>
/// Prints the assembly's dispatch table: a module initializer that registers every handle with the runtime and hands
/// over the MemoryPack formatters the signatures need (for NativeAOT), which the runtime registers on first use.
/// </summary>
internal static class DispatchEmitter
{
    public static SourceText Emit(DispatchModel model)
    {
        var writer = new SourceWriter();
        FileHeader.Write(writer);
        writer.OpenBlock("namespace ParallelGen.Generated");
        writer.WriteLine($$"""
            [{{WellKnownNames.EditorBrowsableNever}}]
            {{FileHeader.GeneratedCodeAttribute}}
            """);
        writer.OpenBlock($"internal static class {model.ClassName}");

        // CA2255 warns about module initializers in libraries; registering the handles before any code can look
        // them up (in the parent and in a worker that loads this assembly) is exactly what one is for.
        writer.WriteLine($$"""
            // Registers this assembly's handles before any code (caller or worker) can look one up.
            #pragma warning disable CA2255 // module initializers in libraries: this is the intended use
            [{{WellKnownNames.ModuleInitializerRef}}]
            #pragma warning restore CA2255
            """);
        writer.OpenBlock("internal static void Register()");
        if (model.Formatters.Count > 0)
        {
            // Building MemoryPack's formatter table costs a fresh worker tens of milliseconds; a pool that only moves
            // unmanaged values never needs it, so the runtime runs these on its first encode or decode.
            writer.WriteLine($"{WellKnownNames.FormatterRegistry}.Add(RegisterFormatters);");
        }

        var arguments = model.Entries.Select(e => e.HandleExpression).Prepend($"typeof({model.ClassName}).Assembly");
        writer.WriteLine($"{WellKnownNames.DispatchRegistry}.Register(");
        writer.Indent();
        writer.WriteLine(string.Join(",\n", arguments) + ");");
        writer.Unindent();
        writer.CloseBlock();
        if (model.Formatters.Count > 0)
        {
            writer.WriteLine();
            writer.WriteLine("// MemoryPack builds formatters for closed generic types by reflection, which NativeAOT cannot do: these run before the first encode or decode.");
            writer.OpenBlock("private static void RegisterFormatters()");
            foreach (FormatterRegistration registration in model.Formatters)
            {
                writer.WriteLine(registration.Formatter is null
                    ? $"{WellKnownNames.FormatterProvider}.Register<{registration.Type}>();"
                    : $"if (!{WellKnownNames.FormatterProvider}.IsRegistered<{registration.Type}>()) {WellKnownNames.FormatterProvider}.Register(new {registration.Formatter}());");
            }

            writer.CloseBlock();
        }

        writer.CloseBlock();
        writer.CloseBlock();
        return writer.ToSourceText();
    }
}

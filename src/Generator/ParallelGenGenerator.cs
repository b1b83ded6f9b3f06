using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ParallelGen.Generator.Diagnostics;
using ParallelGen.Generator.Emitting;
using ParallelGen.Generator.Model;
using ParallelGen.Generator.Parsing;

namespace ParallelGen.Generator;

/// <summary>
/// Adds a nested <c>Remote</c> class with typed handles to every type that declares <c>[ProcessParallel]</c> methods,
/// and one dispatch table per assembly. Pipeline wiring only: the parser decides, the emitters print.
/// Rule violations are reported by <see cref="Diagnostics.ProcessParallelAnalyzer"/>; the generator skips such methods.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ParallelGenGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParallelMethodModel> methods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                WellKnownNames.ProcessParallelAttribute,
                predicate: static (node, _) => node is MethodDeclarationSyntax,
                transform: static (context, cancellationToken) => Parser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.Methods)
            .Where(static m => m is not null)
            .Select(static (m, _) => m!)
            .WithTrackingName(TrackingNames.ValidMethods);

        IncrementalValueProvider<System.Collections.Immutable.ImmutableArray<ParallelMethodModel>> allMethods = methods.Collect();

        IncrementalValuesProvider<RemoteClassModel> remoteClasses = allMethods
            .SelectMany(static (all, cancellationToken) => OutputModels.GroupByType(all, cancellationToken))
            .WithTrackingName(TrackingNames.RemoteClasses);

        IncrementalValueProvider<DispatchModel> dispatch = allMethods
            .Combine(context.CompilationProvider.Select(static (c, _) => c.AssemblyName))
            .Select(static (pair, _) => OutputModels.BuildDispatch(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Dispatch);

        // The handles are what user code calls, so they must be part of the semantic model (not implementation-only output).
        context.RegisterSourceOutput(remoteClasses, static (context, model) =>
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            context.AddSource(model.HintName, RemoteClassEmitter.Emit(model));
        });

        context.RegisterSourceOutput(dispatch, static (context, model) =>
        {
            foreach (IdCollision collision in model.Collisions)
            {
                // No location: the colliding methods may sit in different files, and the model keeps no Location (runtime#92509).
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.MethodIdCollision, Location.None, collision.First, collision.Second, collision.Id.ToString("X16", System.Globalization.CultureInfo.InvariantCulture)));
            }

            if (model.Entries.Count == 0)
            {
                return;
            }

            context.CancellationToken.ThrowIfCancellationRequested();
            context.AddSource(WellKnownNames.DispatchHintName, DispatchEmitter.Emit(model));
        });
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Microsoft.CodeAnalysis;
using NUnit.Framework;

namespace ParallelGen.Generator.Tests.Infrastructure;

/// <summary>
/// Snapshot files on Verify.SourceGenerators' convention, written by hand because Verify is not available here:
/// <c>Snapshots/{TestClass}.{TestMethod}#{HintName minus .cs}.verified.cs</c>, first line <c>//HintName: {hint}</c>,
/// UTF-8 with BOM, LF, no trailing newline. A mismatch writes <c>.received.cs</c> beside it and fails with a diff.
/// <c>PARALLELGEN_UPDATE_SNAPSHOTS=1</c> rewrites the verified files (and deletes stale ones); refused when <c>CI=true</c>.
/// </summary>
public static partial class Snapshot
{
    private static readonly UTF8Encoding s_utf8Bom = new(encoderShouldEmitUTF8Identifier: true);

    public static void Verify(GeneratorRun run, [CallerFilePath] string callerFile = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(callerFile)!, "Snapshots");
        string prefix = GetTestName() + "#";
        bool update = Environment.GetEnvironmentVariable("PARALLELGEN_UPDATE_SNAPSHOTS") == "1";
        if (update && string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail("PARALLELGEN_UPDATE_SNAPSHOTS is refused on CI: update snapshots locally and commit them.");
        }

        Directory.CreateDirectory(directory);
        var expected = run.Single.GeneratedSources.ToDictionary(
            s => Path.Combine(directory, prefix + Path.GetFileNameWithoutExtension(s.HintName) + ".verified.cs"),
            s => $"//HintName: {s.HintName}\n" + Scrub(s.SourceText.ToString()));
        var existing = Directory.GetFiles(directory, prefix + "*.verified.cs").ToHashSet();

        var failures = new List<string>();
        foreach ((string path, string text) in expected)
        {
            string received = Path.ChangeExtension(Path.ChangeExtension(path, null), null) + ".received.cs";
            string? verified = File.Exists(path) ? File.ReadAllText(path, Encoding.UTF8).Replace("\r\n", "\n") : null;
            if (verified == text)
            {
                File.Delete(received);
                continue;
            }

            if (update)
            {
                File.WriteAllText(path, text, s_utf8Bom);
                File.Delete(received);
                continue;
            }

            File.WriteAllText(received, text, s_utf8Bom);
            failures.Add(verified is null
                ? $"New snapshot {Path.GetFileName(path)} (see .received.cs):\n{text}"
                : $"Snapshot {Path.GetFileName(path)} differs (- verified, + received):\n{Diff(verified, text)}");
        }

        foreach (string stale in existing.Where(p => !expected.ContainsKey(p)))
        {
            if (update)
            {
                File.Delete(stale);
            }
            else
            {
                failures.Add($"Snapshot {Path.GetFileName(stale)} has no generated source any more.");
            }
        }

        if (failures.Count > 0)
        {
            Assert.Fail(string.Join("\n\n", failures) + "\n\nRun with PARALLELGEN_UPDATE_SNAPSHOTS=1 to accept.");
        }
    }

    /// <summary>
    /// Normalises what legitimately varies: line endings, the generator version, and the Release build's nullable
    /// header (<c>enable annotations</c> + <c>disable warnings</c>), shown as the Debug one so snapshots fit both.
    /// </summary>
    public static string Scrub(string text) =>
        GeneratedCodeVersion().Replace(
                text.Replace("\r\n", "\n").Replace("#nullable enable annotations\n#nullable disable warnings\n", "#nullable enable\n"),
                "\"ParallelGen.Generator\", \"%VERSION%\"")
            .TrimEnd('\n');

    /// <summary><c>{TestClass}.{TestMethod}</c>, plus <c>_{param}={value}</c> per argument of a parameterised case.</summary>
    private static string GetTestName()
    {
        TestContext.TestAdapter test = TestContext.CurrentContext.Test;
        string className = test.ClassName!.Split('.').Last();
        var name = new StringBuilder(className).Append('.').Append(test.MethodName);
        var parameters = test.Method?.MethodInfo.GetParameters() ?? [];
        for (int i = 0; i < parameters.Length && i < test.Arguments.Length; i++)
        {
            name.Append('_').Append(parameters[i].Name).Append('=').Append(Convert.ToString(test.Arguments[i], System.Globalization.CultureInfo.InvariantCulture));
        }

        return name.ToString();
    }

    private static string Diff(string verified, string received)
    {
        DiffPaneModel diff = InlineDiffBuilder.Diff(verified, received, ignoreWhiteSpace: false);
        var builder = new StringBuilder();
        foreach (DiffPiece line in diff.Lines)
        {
            string marker = line.Type switch
            {
                ChangeType.Inserted => "+ ",
                ChangeType.Deleted => "- ",
                _ => "  ",
            };
            builder.Append(marker).AppendLine(line.Text);
        }

        return builder.ToString();
    }

    [GeneratedRegex("\"ParallelGen\\.Generator\", \"[^\"]*\"")]
    private static partial Regex GeneratedCodeVersion();
}

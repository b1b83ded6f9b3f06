using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Xml.Linq;
using NUnit.Framework;
using ParallelGen.Packaging.Tests.Infrastructure;
using Shouldly;

namespace ParallelGen.Packaging.Tests;

/// <summary>
/// What a NuGet user gets: the runtime is packed into a local folder under a unique version, and a fresh consumer
/// (a console app plus a class library, both declaring [ProcessParallel] methods, one taking a [MemoryPackable]
/// record) that references only that package is built with warnings as errors, run as <c>dotnet App.dll</c> and
/// as its apphost, published framework-dependent and single-file, and run from the publish folders. Every call
/// must have run in a real worker process.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PackedConsumerTests
{
    private static readonly TimeSpan s_buildTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The lines the consumer prints after its calls came back from workers (see Consumer/App/Program.cs).</summary>
    private static readonly string[] s_expectedLines =
    [
        "square:49",
        "map:1,4,9,16",
        "worker-is-child:True",
        "receipt:A-1:7:True",
        "orders:2",
        "async:echo:hi",
        "lib:HELLO!",
        "lib-worker-is-child:True",
        "done",
    ];

    private string _repository = "";
    private string _root = "";
    private string _feed = "";
    private string _appProject = "";
    private string _appBin = "";
    private string _version = "";
    private Dictionary<string, string> _consumerEnvironment = new();

    [OneTimeSetUp]
    public void PackAndBuildConsumer()
    {
        string repository = _repository = FindRepositoryRoot();
        _root = Path.Combine(Path.GetTempPath(), "parallelgen-packaging-" + Guid.NewGuid().ToString("N")[..12]);
        _feed = Path.Combine(_root, "feed");
        Directory.CreateDirectory(_feed);

        // A version no cache can hold: the consumer can only get the package packed right now.
        _version = "0.1.0-packtest." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        CommandRunner.RunChecked(
            CommandRunner.DotnetHost,
            ["pack", Path.Combine(repository, "src", "Runtime", "ParallelGen.csproj"), "-c", "Release", "-o", _feed,
             "-p:PackageVersion=" + _version, "--disable-build-servers"],
            repository,
            s_buildTimeout);

        string consumer = Path.Combine(_root, "consumer");
        ScaffoldConsumer(consumer, repository);
        _appProject = Path.Combine(consumer, "App", "Consumer.App.csproj");
        _appBin = Path.Combine(consumer, "App", "bin", "Release", "net10.0");

        CommandRunner.RunChecked(
            CommandRunner.DotnetHost,
            ["build", _appProject, "-c", "Release", "--disable-build-servers"],
            consumer,
            s_buildTimeout,
            _consumerEnvironment);
    }

    [OneTimeTearDown]
    public void DeleteTemporaryFolder()
    {
        if (_root.Length > 0 && Directory.Exists(_root) && TestContext.CurrentContext.Result.FailCount == 0)
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Test]
    public void Package_HoldsRuntimeGeneratorCodeFixesReadmeAndMemoryPackDependency()
    {
        string package = Path.Combine(_feed, $"ParallelGen.{_version}.nupkg");
        File.Exists(package).ShouldBeTrue(package);
        using ZipArchive zip = ZipFile.OpenRead(package);
        string[] entries = zip.Entries.Select(e => e.FullName).ToArray();

        entries.ShouldContain("lib/net10.0/ParallelGen.dll");
        entries.ShouldContain("lib/net10.0/ParallelGen.xml");
        entries.ShouldContain("analyzers/dotnet/cs/ParallelGen.Generator.dll");
        entries.ShouldContain("analyzers/dotnet/cs/ParallelGen.CodeFixes.dll");
        entries.ShouldContain("README.md");
        // MSBuild props for consumers go to build/ and to buildTransitive/ (an app that uses ParallelGen through a
        // library imports them too).
        string buildFolder = Path.Combine(_repository, "src", "Runtime", "build");
        string[] propsFiles = Directory.Exists(buildFolder) ? Directory.GetFiles(buildFolder, "*.props") : [];
        foreach (string props in propsFiles)
        {
            entries.ShouldContain("build/" + Path.GetFileName(props));
            entries.ShouldContain("buildTransitive/" + Path.GetFileName(props));
        }

        // The runtime is an Exe (workers start it with the app's own runtimeconfig): no runtimeconfig, deps file,
        // apphost or Roslyn assembly may travel with it.
        entries.ShouldNotContain(e => e.EndsWith(".runtimeconfig.json", StringComparison.Ordinal) || e.EndsWith(".deps.json", StringComparison.Ordinal));
        entries.ShouldNotContain(e => e.StartsWith("lib/", StringComparison.Ordinal) && !e.StartsWith("lib/net10.0/ParallelGen.", StringComparison.Ordinal));
        entries.ShouldNotContain(e => e.StartsWith("ref/", StringComparison.Ordinal) && !e.StartsWith("ref/net10.0/ParallelGen.", StringComparison.Ordinal));
        entries.ShouldNotContain(e => e.Contains("Microsoft.CodeAnalysis", StringComparison.Ordinal));

        using Stream nuspecStream = zip.GetEntry("ParallelGen.nuspec")!.Open();
        XElement metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Meta(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
        Meta("readme").ShouldBe("README.md");
        Meta("description").ShouldNotBeNullOrWhiteSpace();
        Meta("projectUrl").ShouldNotBeNullOrWhiteSpace();
        metadata.Elements().Single(e => e.Name.LocalName == "license").Value.ShouldBe("MIT");

        XElement[] dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency").ToArray();
        dependencies.Select(d => (string?)d.Attribute("id")).ShouldNotContain(id => id != null && id.StartsWith("ParallelGen", StringComparison.Ordinal));
        XElement memoryPack = dependencies.Single(d => (string?)d.Attribute("id") == "MemoryPack");
        ((string?)memoryPack.Attribute("version")).ShouldBe("1.21.4");
        // MemoryPack's generator must reach the consumer; say so in the nuspec rather than rely on analyzers flowing
        // despite exclude="Analyzers".
        ((string?)memoryPack.Attribute("exclude") ?? "").ShouldNotContain("Analyzers");
    }

    [Test]
    public void Package_RuntimeAssemblyCarriesReadyToRunCode_AppsCompileAgainstAnAnyCpuReference()
    {
        // Every framework-dependent worker starts ParallelGen.dll afresh: precompiled code spares each one the JIT of the
        // runtime's own methods (src/Runtime/ReadyToRun.targets). The image keeps its IL for other platforms.
        using ZipArchive zip = ZipFile.OpenRead(Path.Combine(_feed, $"ParallelGen.{_version}.nupkg"));
        using (PEReader image = ReadEntry(zip, "lib/net10.0/ParallelGen.dll"))
        {
            image.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size.ShouldBeGreaterThan(0, "no ReadyToRun header in lib/net10.0/ParallelGen.dll");
            image.GetMetadataReader().MethodDefinitions.Count.ShouldBeGreaterThan(0);
        }

        // A ReadyToRun image is marked for one processor; compiling an AnyCPU app against it warns CS8012. Apps compile
        // against ref/ instead (the consumer build above treats warnings as errors), with the XML docs beside it.
        using (PEReader reference = ReadEntry(zip, "ref/net10.0/ParallelGen.dll"))
        {
            reference.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size.ShouldBe(0);
            reference.PEHeaders.CorHeader.Flags.HasFlag(CorFlags.ILOnly).ShouldBeTrue();
            reference.PEHeaders.CoffHeader.Machine.ShouldBe(Machine.I386);
        }

        zip.GetEntry("ref/net10.0/ParallelGen.xml").ShouldNotBeNull();
    }

    private static PEReader ReadEntry(ZipArchive zip, string path)
    {
        var copy = new MemoryStream();
        using (Stream entry = zip.GetEntry(path)!.Open())
        {
            entry.CopyTo(copy);
        }

        copy.Position = 0;
        return new PEReader(copy);
    }

    [Test]
    public void ConsumerBuild_RanOurGeneratorAndMemoryPacksGenerator()
    {
        string[] generated = Directory.GetFiles(Path.Combine(_root, "consumer"), "*.cs", SearchOption.AllDirectories)
            .Where(f => f.Contains(Path.DirectorySeparatorChar + "generated" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(f => f.Replace('\\', '/'))
            .ToArray();

        generated.ShouldContain(f => f.Contains("/App/obj/", StringComparison.Ordinal) && f.EndsWith("AppJobs.ProcessParallel.g.cs", StringComparison.Ordinal), string.Join("\n", generated));
        generated.ShouldContain(f => f.Contains("/Lib/obj/", StringComparison.Ordinal) && f.EndsWith("TextJobs.ProcessParallel.g.cs", StringComparison.Ordinal), string.Join("\n", generated));
        generated.ShouldContain(f => f.Contains("/MemoryPack.Generator/", StringComparison.Ordinal) && f.EndsWith("Order.MemoryPackFormatter.g.cs", StringComparison.Ordinal), string.Join("\n", generated));
    }

    [Test]
    public void ConsumerApp_RunWithDotnet_CallsRunInWorkers()
    {
        CommandResult run = CommandRunner.Run(
            CommandRunner.DotnetHost, [Path.Combine(_appBin, "Consumer.App.dll"), "dotnet"], _appBin, s_runTimeout);
        ShouldHaveRunEverything(run, "dotnet");
    }

    [Test]
    public void ConsumerApp_RunAsApphost_CallsRunInWorkers()
    {
        string apphost = Path.Combine(_appBin, OperatingSystem.IsWindows() ? "Consumer.App.exe" : "Consumer.App");
        File.Exists(apphost).ShouldBeTrue(apphost);
        CommandResult run = CommandRunner.Run(apphost, ["apphost"], _root, s_runTimeout);
        ShouldHaveRunEverything(run, "apphost");
    }

    [Test]
    public void FrameworkDependentPublish_RunsFromItsPublishFolder()
    {
        string publish = Path.Combine(_root, "publish-fd");
        CommandRunner.RunChecked(
            CommandRunner.DotnetHost,
            ["publish", _appProject, "-c", "Release", "--no-build", "-o", publish, "--disable-build-servers"],
            _root,
            s_buildTimeout,
            _consumerEnvironment);

        File.Exists(Path.Combine(publish, "ParallelGen.dll")).ShouldBeTrue();
        File.Exists(Path.Combine(publish, "Consumer.Lib.dll")).ShouldBeTrue();
        // The runtime's Main is only ever started with the app's runtimeconfig; it brings none of its own.
        File.Exists(Path.Combine(publish, "ParallelGen.runtimeconfig.json")).ShouldBeFalse();

        ShouldHaveRunEverything(
            CommandRunner.Run(CommandRunner.DotnetHost, ["Consumer.App.dll", "published"], publish, s_runTimeout), "published");
        string apphost = Path.Combine(publish, OperatingSystem.IsWindows() ? "Consumer.App.exe" : "Consumer.App");
        ShouldHaveRunEverything(CommandRunner.Run(apphost, ["published-apphost"], publish, s_runTimeout), "published-apphost");
    }

    [Test]
    public void SingleFilePublish_WithTheWorkerHook_RelaunchesItself()
    {
        string publish = Path.Combine(_root, "publish-single");
        CommandRunner.RunChecked(
            CommandRunner.DotnetHost,
            ["publish", _appProject, "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "false",
             "-p:PublishSingleFile=true", "-o", publish, "--disable-build-servers"],
            _root,
            s_buildTimeout,
            _consumerEnvironment);

        string executable = Path.Combine(publish, OperatingSystem.IsWindows() ? "Consumer.App.exe" : "Consumer.App");
        File.Exists(executable).ShouldBeTrue(executable);
        File.Exists(Path.Combine(publish, "ParallelGen.dll")).ShouldBeFalse("a single-file app bundles the runtime");
        ShouldHaveRunEverything(CommandRunner.Run(executable, ["single-file"], publish, s_runTimeout), "single-file");
    }

    [Test]
    public void SelfContainedPublish_WithTheWorkerHook_RelaunchesItself()
    {
        // A self-contained app carries its own runtime and has no shared dotnet host to start ParallelGen.dll with,
        // so (like single-file) its workers are the app's own executable, entered through the hook.
        string publish = Path.Combine(_root, "publish-self-contained");
        CommandRunner.RunChecked(
            CommandRunner.DotnetHost,
            ["publish", _appProject, "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "true",
             "-o", publish, "--disable-build-servers"],
            _root,
            s_buildTimeout,
            _consumerEnvironment);

        string executable = Path.Combine(publish, OperatingSystem.IsWindows() ? "Consumer.App.exe" : "Consumer.App");
        File.Exists(Path.Combine(publish, "ParallelGen.dll")).ShouldBeTrue("a self-contained app keeps its assemblies beside it");
        ShouldHaveRunEverything(CommandRunner.Run(executable, ["self-contained"], publish, s_runTimeout), "self-contained");
    }

    [Test]
    public void ConsumerTestProject_UnderDotnetTest_RunsCallsInWorkers()
    {
        string project = Path.Combine(_root, "consumer", "Tests", "Consumer.Tests.csproj");
        // The detailed console logger ends with "Test Run Successful." rather than the "Passed!  - Failed: …" summary
        // line, so a failure message that quotes this output never adds to the totals .ci/run reads from the log.
        CommandResult run = CommandRunner.Run(
            CommandRunner.DotnetHost,
            ["test", project, "-c", "Release", "--disable-build-servers", "--logger", "console;verbosity=detailed"],
            Path.Combine(_root, "consumer"),
            s_buildTimeout,
            _consumerEnvironment);

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Output.ShouldContain("consumer-test-ran-in-workers", Case.Sensitive, run.ToString());
        run.Output.ShouldContain("Passed MethodsOfTheTestAssemblyAndOfALibrary_RunInWorkers", Case.Sensitive, run.ToString());
    }

    [Test]
    public void SingleFileApp_WithoutTheWorkerHook_GetsPG0018_ThroughALibrary()
    {
        // The app references only Consumer.Lib: the package's buildTransitive props must make PublishSingleFile
        // visible to the analyzer, which must then reach the app transitively.
        CommandResult build = CommandRunner.Run(
            CommandRunner.DotnetHost,
            // --no-incremental: the analyzer reports only when the app compiles, and another test publishes this app too.
            ["build", Path.Combine(_root, "consumer", "NoHook", "Consumer.NoHook.csproj"), "-c", "Release", "--no-incremental", "--disable-build-servers"],
            Path.Combine(_root, "consumer"),
            s_buildTimeout,
            _consumerEnvironment);

        build.ExitCode.ShouldNotBe(0, build.ToString());
        build.Output.ShouldContain("error PG0018", Case.Sensitive, build.ToString());
    }

    [Test]
    public void SingleFileApp_WithoutTheWorkerHook_FailsAtOnceWithTheFix_AndLeavesNoCopies()
    {
        // Without ProcessWorker.RunIfWorker, each worker copy used to run the program again and open a pool of its
        // own: copies of copies, without limit. Now the copy exits when it opens its pool, and the parent's call
        // fails with WorkerStartException naming the fix. PG0018 stops such a build; the run-time guard is for the
        // app that gets past it (the error silenced, or an entry point the analyzer does not see), simulated here.
        string publish = Path.Combine(_root, "publish-nohook");
        CommandRunner.RunChecked(
            CommandRunner.DotnetHost,
            ["publish", Path.Combine(_root, "consumer", "NoHook", "Consumer.NoHook.csproj"), "-c", "Release", "-o", publish,
             "-p:NoWarn=PG0018", "--disable-build-servers"],
            Path.Combine(_root, "consumer"),
            s_buildTimeout,
            _consumerEnvironment);
        string executable = Path.Combine(publish, OperatingSystem.IsWindows() ? "Consumer.NoHook.exe" : "Consumer.NoHook");
        File.Exists(Path.Combine(publish, "ParallelGen.dll")).ShouldBeFalse("a single-file app bundles the runtime");

        CommandResult run = CommandRunner.Run(executable, [], publish, s_runTimeout);

        run.ExitCode.ShouldNotBe(0, run.ToString());
        run.Output.ShouldContain("ParallelGen.WorkerStartException", Case.Sensitive, run.ToString());
        run.Output.ShouldContain("ProcessWorker.RunIfWorker(args);", Case.Sensitive, run.ToString());
        ProcessesRunning(executable).ShouldBeEmpty("no copy of the app may outlive it");
    }

    /// <summary>Pids of the processes whose command line starts with <paramref name="executable"/> (Linux: /proc).</summary>
    private static List<int> ProcessesRunning(string executable)
    {
        var pids = new List<int>();
        foreach (string directory in Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out int pid))
            {
                try
                {
                    string commandLine = File.ReadAllText(Path.Combine(directory, "cmdline"));
                    if (commandLine.StartsWith(executable + "\0", StringComparison.Ordinal))
                    {
                        pids.Add(pid);
                    }
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // The process ended while we looked, or is not ours to read.
                }
            }
        }

        return pids;
    }

    private static void ShouldHaveRunEverything(CommandResult run, string mode)
    {
        run.ExitCode.ShouldBe(0, run.ToString());
        string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (string expected in s_expectedLines)
        {
            lines.ShouldContain(expected, run.ToString());
        }

        lines.ShouldContain("mode:" + mode, run.ToString());
    }

    /// <summary>
    /// Copies Consumer/ (shipped beside this assembly) into a folder outside the repository, so none of the
    /// repository's Directory.*.props apply, with a nuget.config that adds the local feed to the machine's sources
    /// and a fresh packages folder (the machine's cache only as a read-only fallback for MemoryPack and friends).
    /// </summary>
    private void ScaffoldConsumer(string consumer, string repository)
    {
        string template = Path.Combine(AppContext.BaseDirectory, "Consumer");
        foreach (string file in Directory.GetFiles(template, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(template, file);
            if (relative.EndsWith(".csproj.in", StringComparison.Ordinal))
            {
                relative = relative[..^".in".Length];
            }

            string target = Path.Combine(consumer, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        // The consumer's test project uses the same test packages as this repository.
        XElement[] versions = XDocument.Load(Path.Combine(repository, "Directory.Packages.props")).Descendants("PackageVersion").ToArray();
        string VersionOf(string id) => (string?)versions.Single(v => (string?)v.Attribute("Include") == id).Attribute("Version") ?? "";
        File.WriteAllText(Path.Combine(consumer, "Directory.Build.props"), $"""
            <Project>
              <PropertyGroup>
                <ParallelGenVersion>{_version}</ParallelGenVersion>
                <TestSdkVersion>{VersionOf("Microsoft.NET.Test.Sdk")}</TestSdkVersion>
                <NUnitVersion>{VersionOf("NUnit")}</NUnitVersion>
                <NUnitAdapterVersion>{VersionOf("NUnit3TestAdapter")}</NUnitAdapterVersion>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(consumer, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(consumer, "Directory.Packages.props"),
            "<Project><PropertyGroup><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup></Project>");

        string machineCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string fallback = Directory.Exists(machineCache)
            ? $"<fallbackPackageFolders><add key=\"machine-cache\" value=\"{machineCache}\" /></fallbackPackageFolders>"
            : "";
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="parallelgen-local" value="{_feed}" />
              </packageSources>
              {fallback}
            </configuration>
            """);

        string packages = Path.Combine(_root, "packages");
        Directory.CreateDirectory(packages);
        _consumerEnvironment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages };
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ParallelGen.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("ParallelGen.sln not found above " + AppContext.BaseDirectory);
    }
}

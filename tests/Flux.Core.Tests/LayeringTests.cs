// Dependencies point one way: Host → Core → Client → Formats → Abstractions ← Plugins. Plugins and
// samples reference only the contract, the formats and the plugin libraries (Flux.Subprocess,
// Flux.Shell, Flux.SystemScripts); the contract holds no format code; the CLI and the client library never reach the
// broker runtime.
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace Flux.Core.Tests;

public sealed class LayeringTests
{
    /// <summary>
    /// What a plugin may compile against, each with what it may reference itself: the contract, the
    /// formats, and the libraries made to run inside a plugin's load context (the subprocess library
    /// and the job shell, which job-exec carries today and a flux-shell process will host next; the
    /// prolog/epilog/housekeeping scripts, which perilog.so and job-manager carry).
    /// None of them reaches the broker runtime, the client, the TOML parser or a plugin, so neither
    /// does a plugin through them.
    /// </summary>
    private static readonly Dictionary<string, string[]> PluginLibraries = new(StringComparer.Ordinal)
    {
        ["Flux.Abstractions"] = [],
        ["Flux.Formats"] = ["Flux.Abstractions"],
        ["Flux.Subprocess"] = [],
        ["Flux.Shell"] = ["Flux.Abstractions", "Flux.Formats", "Flux.Subprocess", "Flux.Shell.Lua"],
        ["Flux.Shell.Lua"] = ["Flux.Abstractions", "Flux.Formats"],
        ["Flux.SystemScripts"] = ["Flux.Abstractions", "Flux.Subprocess"],
    };

    private const string PluginRuleWhy =
        "a plugin talks to the broker and to other plugins only through messages and the contract, so it can be "
        + "loaded, unloaded and shipped on its own; it may reference Flux.Abstractions, Flux.Formats and the plugin "
        + "libraries (Flux.Subprocess, Flux.Shell, Flux.SystemScripts), never Flux.Core, Flux.Client, Flux.Toml or another plugin";

    [Fact]
    public void PluginProjects_ReferenceOnlyTheContractFormatsAndPluginLibraries()
    {
        var projects = Directory.EnumerateFiles(Path.Combine(Repo.Root, "Plugins"), "*.csproj", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(Repo.Root, "samples"), "*.csproj", SearchOption.AllDirectories))
            .ToList();
        Assert.NotEmpty(projects);
        foreach (var p in projects)
        {
            var doc = XDocument.Load(p);
            foreach (var r in doc.Descendants("ProjectReference"))
            {
                var include = r.Attribute("Include")?.Value ?? string.Empty;
                Assert.True(PluginLibraries.ContainsKey(Path.GetFileNameWithoutExtension(include)), $"{p} references {include}: {PluginRuleWhy}");
            }
            foreach (var r in doc.Descendants("PackageReference"))
            {
                var include = r.Attribute("Include")?.Value ?? string.Empty;
                // Flux.Plugin.Sdk is pack targets plus Flux.Abstractions and Flux.Formats, compile-only.
                Assert.False(include.StartsWith("Flux.", StringComparison.Ordinal) && !PluginLibraries.ContainsKey(include) && include != "Flux.Plugin.Sdk", $"{p} references package {include}: {PluginRuleWhy}");
            }
        }
    }

    [Fact]
    public void PluginLibraries_ReferenceOnlyTheContractFormatsAndEachOther()
    {
        foreach (var (library, allowed) in PluginLibraries)
        {
            var project = new[] { "Abstractions", "Core" }
                .SelectMany(top => Directory.EnumerateFiles(Path.Combine(Repo.Root, top), library + ".csproj", SearchOption.AllDirectories))
                .Single();
            foreach (var r in XDocument.Load(project).Descendants("ProjectReference"))
            {
                var include = Path.GetFileNameWithoutExtension(r.Attribute("Include")?.Value ?? string.Empty);
                Assert.True(allowed.Contains(include),
                    $"{project} references {include}: plugins compile against {library}, so it may reference only {(allowed.Length == 0 ? "nothing of Flux" : string.Join(", ", allowed))}, never the broker runtime, the client, Flux.Toml or a plugin");
            }
        }
    }

    [Fact]
    public void BuiltPlugins_DoNotReferenceCoreOrOtherPlugins()
    {
        var dirs = new[] { "modules", "jobtap", "shell", "connectors", "validators" }
            .Select(k => Path.Combine(Repo.Bin, k)).Where(Directory.Exists).ToList();
        var pluginFolders = dirs.SelectMany(Directory.EnumerateDirectories).Where(d => File.Exists(Path.Combine(d, Path.GetFileName(d) + ".dll"))).ToList();
        var plugins = pluginFolders.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        // Every assembly a plugin ships (its own and its private dependencies such as Flux.Shell) is checked.
        foreach (var dll in pluginFolders.SelectMany(d => Directory.EnumerateFiles(d, "Flux.*.dll").Concat(Directory.EnumerateFiles(d, Path.GetFileName(d) + ".dll"))).Distinct())
        {
            using var pe = new PEReader(File.OpenRead(dll));
            var md = pe.GetMetadataReader();
            foreach (var h in md.AssemblyReferences)
            {
                var name = md.GetString(md.GetAssemblyReference(h).Name);
                Assert.False(name is "Flux.Core" or "Flux.Client" or "Flux.Toml" || plugins.Contains(name), $"{dll} references {name}: {PluginRuleWhy}");
            }
            Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(dll)!, "Flux.Abstractions.dll")), $"{dll}'s folder ships its own copy of the contract");
            Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(dll)!, "Flux.Formats.dll")), $"{dll}'s folder ships its own copy of the formats");
        }
    }

    [Fact]
    public void Core_DoesNotReferenceHostOrPlugins()
    {
        var doc = XDocument.Load(Path.Combine(Repo.Root, "Core", "Flux.Core", "Flux.Core.csproj"));
        foreach (var r in doc.Descendants("ProjectReference"))
        {
            var include = r.Attribute("Include")?.Value ?? string.Empty;
            Assert.DoesNotContain("Plugins", include, StringComparison.Ordinal);
            Assert.DoesNotContain("Host", include, StringComparison.Ordinal);
        }
        var abstractions = XDocument.Load(Path.Combine(Repo.Root, "Abstractions", "Flux.Abstractions", "Flux.Abstractions.csproj"));
        Assert.Empty(abstractions.Descendants("ProjectReference"));
    }

    [Fact]
    public void Abstractions_HoldsNoFormatCode()
    {
        var abstractions = typeof(Flux.Abstractions.IFlux).Assembly;
        var formats = typeof(Flux.Formats.Fsd).Assembly;
        Assert.DoesNotContain(abstractions.GetReferencedAssemblies(), a => a.Name == formats.GetName().Name);
        Assert.False(Directory.Exists(Path.Combine(Repo.Root, "Abstractions", "Flux.Abstractions", "Formats")), "Abstractions/Flux.Abstractions/Formats exists: formats live in Flux.Formats");
        // Every RFC format type lives in Flux.Formats, and none of their names reappears in the contract.
        var formatNames = formats.GetExportedTypes().Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var strays = abstractions.GetTypes().Where(t => formatNames.Contains(t.Name) || (t.Namespace?.Contains("Formats", StringComparison.Ordinal) ?? false)).Select(t => t.FullName).ToList();
        Assert.True(strays.Count == 0, $"format types in Flux.Abstractions: {string.Join(", ", strays)}");
    }

    [Fact]
    public void CliProject_DoesNotReferenceCore_DirectlyOrTransitively()
    {
        var cli = Path.Combine(Repo.Root, "Host", "Flux.Cli", "Flux.Cli.csproj");
        var reached = ProjectClosure(cli);
        Assert.Contains(reached, p => Path.GetFileName(p) == "Flux.Client.csproj");
        Assert.DoesNotContain(reached, p => Path.GetFileName(p) == "Flux.Core.csproj");
    }

    [Fact]
    public void ShellHostProject_DoesNotReferenceCore_DirectlyOrTransitively()
    {
        // flux-shell runs user code (shell plugins, initrc): a client of the broker, never its runtime.
        var reached = ProjectClosure(Path.Combine(Repo.Root, "Host", "Flux.ShellHost", "Flux.ShellHost.csproj"));
        Assert.Contains(reached, p => Path.GetFileName(p) == "Flux.Client.csproj");
        Assert.DoesNotContain(reached, p => Path.GetFileName(p) == "Flux.Core.csproj");
    }

    [Fact]
    public void ClientProject_DoesNotReferenceCore_DirectlyOrTransitively()
    {
        var reached = ProjectClosure(Path.Combine(Repo.Root, "Core", "Flux.Client", "Flux.Client.csproj"));
        Assert.DoesNotContain(reached, p => Path.GetFileName(p) == "Flux.Core.csproj");
        Assert.DoesNotContain(typeof(Flux.Client.Connectors.FluxConnect).Assembly.GetReferencedAssemblies(), a => a.Name == "Flux.Core");
    }

    [Fact]
    public void BuiltCli_DoesNotLoadCore_ThroughAnyAssemblyReference()
    {
        var flux = Path.Combine(Repo.Bin, "flux.dll");
        Assert.True(File.Exists(flux), $"{flux} is missing: build the solution first");
        var reached = AssemblyClosure(flux);
        Assert.Contains("Flux.Client", reached);
        Assert.DoesNotContain("Flux.Core", reached);
    }

    [Fact]
    public void BuiltConnectors_ReferenceOnlyContractAndFormats()
    {
        var connectors = Path.Combine(Repo.Bin, "connectors");
        var local = Path.Combine(connectors, "Flux.Connectors.Local", "Flux.Connectors.Local.dll");
        Assert.True(File.Exists(local), $"{local} is missing: the local connector ships in the built-in connectors folder");
        foreach (var dll in Directory.EnumerateDirectories(connectors).Select(d => Path.Combine(d, Path.GetFileName(d) + ".dll")).Where(File.Exists))
        {
            var flux = ReferencedAssemblies(dll).Where(n => n.StartsWith("Flux.", StringComparison.Ordinal)).ToList();
            Assert.True(flux.All(n => n is "Flux.Abstractions" or "Flux.Formats"), $"{dll} references {string.Join(", ", flux)}: connectors may reference only Flux.Abstractions and Flux.Formats");
        }
    }

    // Every project reachable from one through ProjectReference items, the project itself included.
    private static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var todo = new Stack<string>([Path.GetFullPath(project)]);
        while (todo.TryPop(out var p))
        {
            if (!seen.Add(p))
            {
                continue;
            }
            foreach (var r in XDocument.Load(p).Descendants("ProjectReference"))
            {
                var include = (r.Attribute("Include")?.Value ?? string.Empty).Replace('\\', '/');
                todo.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(p)!, include)));
            }
        }
        return seen;
    }

    // The names of every assembly a built assembly reaches through references that resolve beside it.
    private static HashSet<string> AssemblyClosure(string dll)
    {
        var dir = Path.GetDirectoryName(dll)!;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var todo = new Stack<string>([dll]);
        while (todo.TryPop(out var path))
        {
            foreach (var name in ReferencedAssemblies(path).Where(seen.Add))
            {
                var next = Path.Combine(dir, name + ".dll");
                if (File.Exists(next))
                {
                    todo.Push(next);
                }
            }
        }
        return seen;
    }

    private static List<string> ReferencedAssemblies(string dll)
    {
        using var pe = new PEReader(File.OpenRead(dll));
        var md = pe.GetMetadataReader();
        return [.. md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name))];
    }
}

// Dependencies point one way: Host → Core → Formats → Abstractions ← Plugins. Plugins and samples
// reference only the contract and the formats; the contract holds no format code.
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace Flux.Core.Tests;

public sealed class LayeringTests
{
    [Fact]
    public void PluginProjects_ReferenceOnlyAbstractions()
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
                Assert.True(include.EndsWith("Flux.Abstractions.csproj", StringComparison.Ordinal) || include.EndsWith("Flux.Formats.csproj", StringComparison.Ordinal),
                    $"{p} references {include}: plugins may reference only Flux.Abstractions and Flux.Formats");
            }
            foreach (var r in doc.Descendants("PackageReference"))
            {
                var include = r.Attribute("Include")?.Value ?? string.Empty;
                Assert.False(include.StartsWith("Flux.", StringComparison.Ordinal) && include is not ("Flux.Abstractions" or "Flux.Formats"), $"{p} references package {include}");
            }
        }
    }

    [Fact]
    public void BuiltPlugins_DoNotReferenceCoreOrOtherPlugins()
    {
        var dirs = new[] { "modules", "jobtap", "shell", "connectors", "validators" }
            .Select(k => Path.Combine(Repo.Bin, k)).Where(Directory.Exists).ToList();
        foreach (var dll in dirs.SelectMany(d => Directory.EnumerateDirectories(d)).Select(d => Path.Combine(d, Path.GetFileName(d) + ".dll")).Where(File.Exists))
        {
            using var pe = new PEReader(File.OpenRead(dll));
            var md = pe.GetMetadataReader();
            foreach (var h in md.AssemblyReferences)
            {
                var name = md.GetString(md.GetAssemblyReference(h).Name);
                Assert.False(name is "Flux.Core" or "Flux.Toml" || name.StartsWith("Flux.Modules.", StringComparison.Ordinal) || name.StartsWith("Flux.Jobtap.", StringComparison.Ordinal) || name.StartsWith("Flux.Shell.", StringComparison.Ordinal),
                    $"{dll} references {name}");
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
}

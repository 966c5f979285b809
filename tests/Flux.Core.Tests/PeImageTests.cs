// PeImage reads from the PE headers alone what PluginMetadata reads with System.Reflection.Metadata.
using Flux.Client.Plugins;

namespace Flux.Core.Tests;

public sealed class PeImageTests
{
    public static TheoryData<string> Files()
    {
        var files = new TheoryData<string>
        {
            typeof(object).Assembly.Location,
            typeof(System.Text.Json.Nodes.JsonObject).Assembly.Location,
            typeof(PeImage).Assembly.Location,
            Path.Combine(Repo.Root, "README.md"),
            Path.Combine(Repo.Root, "build.sh"),
        };
        foreach (var dll in new[] { "flux.dll", "Flux.Core.dll", Path.Combine("connectors", "Flux.Connectors.Local", "Flux.Connectors.Local.dll") })
        {
            var path = Path.Combine(Repo.Bin, dll);
            if (File.Exists(path))
            {
                files.Add(path);
            }
        }
        return files;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void IsReadyToRun_AnyFile_AgreesWithTheMetadataReader(string path)
    {
        var md = PluginMetadata.Read(path);
        Assert.Equal(md?.IsReadyToRun, PeImage.IsReadyToRun(path));
    }

    [Fact]
    public void IsReadyToRun_FrameworkAssembly_IsTrue()
    {
        // The shared framework ships precompiled: a check that always said "IL only" would fail here.
        Assert.True(PeImage.IsReadyToRun(typeof(object).Assembly.Location));
    }
}

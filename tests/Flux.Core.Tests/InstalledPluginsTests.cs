// flux plugin's installer and the lookup by name: versions side by side, pins, refused packages, search path and messages.
using System.IO.Compression;
using Flux.Abstractions;
using Flux.Client.Plugins;

namespace Flux.Core.Tests;

public sealed class InstalledPluginsTests
{
    [Fact]
    public void Install_TwoVersions_HighestCompatibleSelectedAndPinnable()
    {
        var root = TempDirs.Create("flux-plugins-");
        PluginInstaller.Install(Package("1.0.0", "ReloadModuleV1"), root);
        PluginInstaller.Install(Package("1.2.0", "ReloadModuleV2"), root);
        var selected = Assert.Single(InstalledPlugins.Selected([root]));
        Assert.Equal("1.2.0", selected.Version);
        var found = PluginLoader.Find("reloadtest", PluginKind.Module, InstalledPlugins.Directories(PluginKind.Module, [root]));
        Assert.Equal(Path.Combine(root, "ReloadTest", "1.2.0", "ReloadModule.dll"), found!.Value.Metadata.Path);
        var (name, pinned) = InstalledPlugins.Pinned("reloadtest@1.0.0", PluginKind.Module, [root]);
        Assert.Equal(("reloadtest", Path.Combine(root, "ReloadTest", "1.0.0")), (name, pinned));
        var missing = Assert.Throws<FluxException>(() => InstalledPlugins.Pinned("reloadtest@3.0.0", PluginKind.Module, [root]));
        Assert.Contains("installed: ", missing.Message, StringComparison.Ordinal);
        var again = Assert.Throws<FluxException>(() => PluginInstaller.Install(Package("1.2.0", "ReloadModuleV2"), root));
        Assert.Equal(Errno.EEXIST, again.Errnum);
        var removed = Assert.Single(PluginInstaller.Remove("reloadtest", "1.2.0", [root]));
        Assert.Equal("1.2.0", removed.Version);
        Assert.Equal("1.0.0", Assert.Single(InstalledPlugins.Selected([root])).Version);
    }

    [Fact]
    public void Install_NewerContractMajor_RefusedNamingSupportedVersions()
    {
        var root = TempDirs.Create("flux-plugins-");
        var ex = Assert.Throws<FluxException>(() => PluginInstaller.Install(Package("1.0.0", "ReloadModuleV1", contract: "9.0.0"), root));
        Assert.Contains("built against Flux.Abstractions 9.0.0", ex.Message, StringComparison.Ordinal);
        Assert.Contains(PluginLoader.SupportedContracts, ex.Message, StringComparison.Ordinal);
        Assert.Empty(InstalledPlugins.All([root]));
    }

    [Fact]
    public void Install_EntryEscapingTheFolder_RefusedAndNothingInstalled()
    {
        var root = TempDirs.Create("flux-plugins-");
        var package = Package("1.0.0", "ReloadModuleV1", extraEntry: "flux-plugin/../../escaped.txt");
        var ex = Assert.Throws<FluxException>(() => PluginInstaller.Install(package, root));
        Assert.Contains("leaves the package folder", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(root)!, "escaped.txt")));
    }

    [Fact]
    public void Find_ByFileName_AndNotFoundListsEachFolderOnce()
    {
        var dir = Path.GetDirectoryName(Repo.TestPlugin("FaultyModule"))!;
        var byFile = PluginLoader.Find("FaultyModule", PluginKind.Module, [dir]);
        Assert.Equal("faulty", byFile!.Value.Entry.Name);
        var ex = PluginLoader.NotFound("nope", PluginKind.Module, [dir, dir + "/", dir]);
        Assert.Equal(1, CountOf(ex.Message, dir));
        Assert.Equal(Errno.ENOENT, ex.Errnum);
    }

    [Fact]
    public void CheckContract_NewerMinor_VersionMessageNotFileNotFound()
    {
        var host = PluginLoader.HostContractVersion;
        var md = new PluginMetadata("Newer.dll", [], new Version(host.Major, host.Minor + 1, 0, 0));
        var ex = Assert.Throws<FluxException>(() => PluginLoader.CheckContract(md));
        Assert.Contains("newer than this broker's", ex.Message, StringComparison.Ordinal);
        Assert.True(PluginLoader.IsCompatible(new Version(host.Major, 0, 0, 0)));
    }

    private static int CountOf(string text, string part) => text.Split(part).Length - 1;

    // A package as Flux.Plugin.Sdk packs it: flux-plugin/ with the test module and its manifest.
    private static string Package(string version, string project, string? contract = null, string? extraEntry = null)
    {
        var dll = Path.Combine(Repo.Bin, "testplugins", project, "ReloadModule.dll");
        Assert.True(File.Exists(dll), $"test plugin {dll} is missing: build the solution first");
        var path = Path.Combine(TempDirs.Create("flux-package-"), $"ReloadTest.{version}.nupkg");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            zip.CreateEntryFromFile(dll, "flux-plugin/ReloadModule.dll");
            var manifest = new PluginManifest("ReloadTest", version, Version.Parse(contract ?? PluginLoader.HostContractVersion.ToString(3)),
                [new ManifestPlugin("reloadtest", PluginKind.Module, "ReloadModule.dll")], "");
            using (var w = new StreamWriter(zip.CreateEntry("flux-plugin/flux-plugin.json").Open()))
            {
                w.Write(manifest.ToJson());
            }
            if (extraEntry is not null)
            {
                using var w = new StreamWriter(zip.CreateEntry(extraEntry).Open());
                w.Write("outside");
            }
        }
        return path;
    }
}

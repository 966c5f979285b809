// Reloading a plugin runs what is on disk now: a rebuilt module, removed and loaded again from the same path.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Plugins;

namespace Flux.Core.Tests;

public sealed class PluginReloadTests
{
    [Fact]
    public async Task Reload_FileReplacedOnDisk_RunsTheNewBuild()
    {
        var dir = TempDirs.Create("flux-reload-");
        var path = Path.Combine(dir, "ReloadModule.dll");
        File.Copy(ReloadBuild("ReloadModuleV1"), path);
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        await h.RpcAsync("module.load", new JsonObject { ["path"] = path, ["args"] = new JsonArray() });
        Assert.Equal("v1", (await h.RpcAsync("reloadtest.version"))!["version"]!.GetValue<string>());

        // What `flux module reload` does: remove, then load from the path the module came from.
        File.Copy(ReloadBuild("ReloadModuleV2"), path, overwrite: true);
        await h.RpcAsync("module.remove", new JsonObject { ["name"] = "reloadtest" });
        await h.RpcAsync("module.load", new JsonObject { ["path"] = path, ["name"] = "reloadtest", ["args"] = new JsonArray() });
        Assert.Equal("v2", (await h.RpcAsync("reloadtest.version"))!["version"]!.GetValue<string>());
        var listed = (await h.RpcAsync("module.list"))!["mods"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "reloadtest");
        Assert.Equal(path, listed!["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task Load_FileOverwrittenWhileLoaded_OldModuleKeepsItsBuildAndNewLoadGetsTheNewOne()
    {
        // A build overwrites the file in place: the runtime maps a loaded file, and caches its image
        // by path while a context holds it. Neither may leak between the two loads.
        var dir = TempDirs.Create("flux-reload-");
        var path = Path.Combine(dir, "ReloadModule.dll");
        File.Copy(ReloadBuild("ReloadModuleV1"), path);
        await using var inst = await TestInstance.StartAsync();
        await using var h = await inst.ConnectAsync();
        await h.RpcAsync("module.load", new JsonObject { ["path"] = path, ["args"] = new JsonArray() });
        File.Copy(ReloadBuild("ReloadModuleV2"), path, overwrite: true);
        await h.RpcAsync("module.load", new JsonObject { ["path"] = path, ["name"] = "second", ["args"] = new JsonArray() });
        Assert.Equal("v1", (await h.RpcAsync("reloadtest.version"))!["version"]!.GetValue<string>());
        Assert.Equal("v2", (await h.RpcAsync("second.version"))!["version"]!.GetValue<string>());
    }

    [Fact]
    public void Prepare_PluginOutsideTheInstallation_SharesACopyWhileUnchangedAndCopiesAgainAfterARebuild()
    {
        var dir = TempDirs.Create("flux-reload-");
        var path = Path.Combine(dir, "ReloadModule.dll");
        File.Copy(ReloadBuild("ReloadModuleV1"), path);
        File.WriteAllText(Path.Combine(dir, "data.txt"), "private dependency");
        var installed = typeof(IFlux).Assembly.Location;
        Assert.Equal((installed, null), ShadowCopy.Prepare(installed));
        var (first, copy1) = ShadowCopy.Prepare(path);
        var (again, shared) = ShadowCopy.Prepare(path);
        Assert.NotNull(copy1);
        Assert.Equal(first, again);
        Assert.Equal(copy1, shared);
        Assert.Equal(Path.Combine(copy1, "ReloadModule.dll"), first);
        Assert.True(File.Exists(Path.Combine(copy1, "data.txt")), "the plugin's folder was not copied with it");
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(first));

        // A rebuild (other bytes, a later time) gets a copy of its own; the old one lives while used.
        File.Copy(ReloadBuild("ReloadModuleV2"), path, overwrite: true);
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(1));
        var (second, copy2) = ShadowCopy.Prepare(path);
        Assert.NotNull(copy2);
        Assert.NotEqual(copy1, copy2);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(second));
        ShadowCopy.Delete(copy1);
        Assert.True(Directory.Exists(copy1), "a copy still in use was deleted");
        ShadowCopy.Delete(shared);
        Assert.False(Directory.Exists(copy1), "the replaced copy was not deleted once unused");
        // The newest copy stays for the next load once unused, and is shared by it.
        ShadowCopy.Delete(copy2);
        Assert.True(Directory.Exists(copy2), "the newest copy was deleted while its files are unchanged");
        Assert.Equal(second, ShadowCopy.Prepare(path).Path);
        ShadowCopy.Delete(copy2);
    }

    private static string ReloadBuild(string project)
    {
        var p = Path.Combine(Repo.Bin, "testplugins", project, "ReloadModule.dll");
        Assert.True(File.Exists(p), $"test plugin {p} is missing: build the solution first");
        return p;
    }
}

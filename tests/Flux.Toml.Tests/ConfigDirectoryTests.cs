// Tests of ConfigDirectory: merging a directory's *.toml files, conflicts between files, single files and errors.
using System.Text.Json.Nodes;

namespace Flux.Toml.Tests;

public sealed class ConfigDirectoryTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "flux-toml-tests-" + Guid.NewGuid().ToString("N"));

    public ConfigDirectoryTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Fixture => Path.Combine(AppContext.BaseDirectory, "Fixtures", "system-config");

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Load_SystemFixture_MergesEveryTomlFile()
    {
        var tree = ConfigDirectory.Load(Fixture);
        var root = tree.Root;

        Assert.Equal(["housekeeping.toml", "queues.toml", "system.toml"], tree.Files.Select(Path.GetFileName));
        Assert.Equal("/usr/libexec/flux/flux-imp", (string?)root["exec"]!["imp"]);
        Assert.True((bool)root["access"]!["allow-guest-user"]!);
        Assert.Equal(8050, (long)root["bootstrap"]!["default_port"]!);
        Assert.Equal("test[1-16]", (string?)root["bootstrap"]!["hosts"]![0]!["host"]);
        Assert.Equal("2m", (string?)root["tbon"]!["tcp_user_timeout"]);
        var config = root["resource"]!["config"]!.AsArray();
        Assert.Equal(2, config.Count);
        Assert.Equal("test[15-16]", (string?)config[1]!["hosts"]);
        Assert.Equal(["debug", "fatnode"], config[1]!["properties"]!.AsArray().Select(p => (string?)p));
        Assert.Equal(100000, (long)root["kvs"]!["gc-threshold"]!);
        Assert.Equal("jobspec", (string?)root["ingest"]!["validator"]!["plugins"]![0]);
        Assert.Equal("mf_priority.so", (string?)root["job-manager"]!["plugins"]![0]!["load"]);
        Assert.Equal("1m", (string?)root["job-manager"]!["housekeeping"]!["release-after"]);
        Assert.Equal("batch", (string?)root["policy"]!["jobspec"]!["defaults"]!["system"]!["queue"]);
        Assert.Equal(32, (long)root["policy"]!["limits"]!["job-size"]!["max"]!["ncores"]!);
        Assert.Equal("30m", (string?)root["queues"]!["debug"]!["policy"]!["limits"]!["duration"]);
        Assert.Equal("easy", (string?)root["sched-fluxion-qmanager"]!["queue-policy"]);
        Assert.Equal("rv1_nosched", (string?)root["sched-fluxion-resource"]!["match-format"]);
    }

    [Fact]
    public void Load_SystemFixture_AttributesEveryTableAndKeyToItsFile()
    {
        var sources = ConfigDirectory.Load(Fixture).Sources;

        Assert.Equal("system.toml", sources["kvs"]);
        Assert.Equal("system.toml", sources["kvs.checkpoint-period"]);
        Assert.Equal("system.toml", sources["resource.config"]);
        Assert.Equal("system.toml", sources["resource.config[1].hosts"]);
        Assert.Equal("system.toml", sources["policy.limits.job-size.max.nnodes"]);
        Assert.Equal("system.toml", sources["job-manager"]);
        Assert.Equal("housekeeping.toml", sources["job-manager.housekeeping"]);
        Assert.Equal("housekeeping.toml", sources["job-manager.housekeeping.command"]);
        Assert.Equal("queues.toml", sources["queues"]);
        Assert.Equal("queues.toml", sources["queues.debug.policy.limits.duration"]);
        Assert.All(Flatten(ConfigDirectory.Load(Fixture).Root, string.Empty), path => Assert.True(sources.ContainsKey(path), $"no source for {path}"));
    }

    [Fact]
    public void Load_SameTableInTwoFiles_ThrowsNamingBothFiles()
    {
        Write("a.toml", "[kvs]\ncheckpoint-period = \"30m\"\n");
        Write("b.toml", "# more kvs settings\n\n[kvs]\ngc-threshold = 5\n");

        var ex = Assert.Throws<TomlException>(() => ConfigDirectory.Load(_dir));

        Assert.Equal("b.toml: [kvs] is already defined in a.toml (a.toml line 1, b.toml line 3)", ex.Message);
        Assert.Equal("b.toml", ex.FileName);
    }

    [Fact]
    public void Load_DottedKeysIntoTableOfAnotherFile_ThrowsNamingBothFiles()
    {
        Write("a.toml", "[policy.limits]\nduration = \"1h\"\n");
        Write("b.toml", "policy.limits.duration = \"2h\"\n");

        var ex = Assert.Throws<TomlException>(() => ConfigDirectory.Load(_dir));

        Assert.StartsWith("b.toml: [policy.limits] is already defined in a.toml", ex.Message);
    }

    [Fact]
    public void Load_SameRootKeyInTwoFiles_ThrowsNamingKey()
    {
        Write("a.toml", "name = \"x\"\n");
        Write("b.toml", "name = \"y\"\n");

        var ex = Assert.Throws<TomlException>(() => ConfigDirectory.Load(_dir));

        Assert.StartsWith("b.toml: key 'name' is already defined in a.toml", ex.Message);
    }

    [Fact]
    public void Load_TablesImpliedByTwoFiles_Merge()
    {
        Write("a.toml", "[policy.limits]\nduration = \"1h\"\n");
        Write("b.toml", "[policy.jobspec.defaults.system]\nduration = \"1m\"\n");
        Write("c.toml", "[policy]\naccess.allow-guest-user = true\n");

        var tree = ConfigDirectory.Load(_dir);

        Assert.Equal("1h", (string?)tree.Root["policy"]!["limits"]!["duration"]);
        Assert.Equal("1m", (string?)tree.Root["policy"]!["jobspec"]!["defaults"]!["system"]!["duration"]);
        Assert.True((bool)tree.Root["policy"]!["access"]!["allow-guest-user"]!);
        Assert.Equal("c.toml", tree.Sources["policy"]);
        Assert.Equal("a.toml", tree.Sources["policy.limits"]);
        Assert.Equal("b.toml", tree.Sources["policy.jobspec"]);
    }

    [Fact]
    public void Load_MissingDirectory_ThrowsClearError()
    {
        var missing = Path.Combine(_dir, "nope");

        var ex = Assert.Throws<TomlException>(() => ConfigDirectory.Load(missing));

        Assert.Equal($"config directory '{missing}' does not exist", ex.Message);
    }

    [Fact]
    public void Load_JsonFile_ParsesObjectAndAttributesKeys()
    {
        var path = Write("config.json", """{"kvs": {"checkpoint-period": "30m"}, "resource": {"config": [{"hosts": "a"}]}}""");

        var tree = ConfigDirectory.Load(path);

        Assert.Equal("30m", (string?)tree.Root["kvs"]!["checkpoint-period"]);
        Assert.Equal("config.json", tree.Sources["kvs.checkpoint-period"]);
        Assert.Equal("config.json", tree.Sources["resource.config[0].hosts"]);
    }

    [Fact]
    public void Load_JsonFileNotAnObject_Throws()
    {
        var path = Write("config.json", "[1, 2]");

        var ex = Assert.Throws<TomlException>(() => ConfigDirectory.Load(path));

        Assert.Equal("config.json: the configuration must be a JSON object", ex.Message);
    }

    [Fact]
    public void Load_SingleTomlFile_LoadsOnlyIt()
    {
        Write("other.toml", "x = 1\n");
        var path = Write("one.toml", "[exec]\nimp = \"/bin/imp\"\n");

        var tree = ConfigDirectory.Load(path);

        Assert.Equal(["exec"], tree.Root.Select(p => p.Key));
        Assert.Equal("one.toml", tree.Sources["exec.imp"]);
    }

    [Fact]
    public void Load_SyntaxError_ThrowsWithFileLineAndColumn()
    {
        Write("good.toml", "a = 1\n");
        Write("bad.toml", "[kvs]\ngc-threshold = 1O0\n");

        var ex = Assert.Throws<TomlException>(() => ConfigDirectory.Load(_dir));

        Assert.Equal("bad.toml", ex.FileName);
        Assert.StartsWith("bad.toml:2:16: invalid number '1O0'", ex.Message);
    }

    [Fact]
    public void Load_EmptyDirectory_ReturnsEmptyTree()
    {
        Write("notes.txt", "x = 1");

        var tree = ConfigDirectory.Load(_dir);

        Assert.Empty(tree.Root);
        Assert.Empty(tree.Sources);
    }

    private static IEnumerable<string> Flatten(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    var child = path.Length == 0 ? key : $"{path}.{key}";
                    yield return child;
                    foreach (var p in Flatten(value, child))
                    {
                        yield return p;
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonObject)
                    {
                        foreach (var p in Flatten(array[i], $"{path}[{i}]"))
                        {
                            yield return p;
                        }
                    }
                }
                break;
        }
    }
}

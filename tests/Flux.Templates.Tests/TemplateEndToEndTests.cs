// Each plugin kind's template as an author meets it: made by dotnet new, packed, installed by flux plugin install, loaded by name into an instance, seen working.
namespace Flux.Templates.Tests;

public sealed class TemplateEndToEndTests(TemplatePlugins plugins) : IClassFixture<TemplatePlugins>
{
    [Theory]
    [InlineData("TplModule", "Module tpl-module")]
    [InlineData("TplJobtap", "Jobtap tpl-jobtap")]
    [InlineData("TplEnv", "ShellPlugin tpl-shell")]
    [InlineData("TplValidator", "Validator tpl-validator")]
    [InlineData("TplDefaults", "Frobnicator tpl-defaults")]
    [InlineData("TplConnector", "Connector tpl-connector")]
    public void Install_TemplateProject_PackageNamesKindAndPlugin(string project, string kindAndName)
    {
        // The plugin name comes from --name in kebab case, or from --plugin-name (TplEnv).
        Assert.Contains($"installed {project} 1.0.0 ({kindAndName})", plugins.Installed[project], StringComparison.Ordinal);
        Assert.Contains(Path.Combine(Repo.Root, "artifacts", "packages"), File.ReadAllText(Path.Combine(plugins.Source(project), "NuGet.config")), StringComparison.Ordinal);
    }

    [Theory]
    // The generated tests load the plugin into Flux.Testing's in-process instance (loop://, the KVS):
    // a module by its type; a jobtap plugin into job-manager, jobs submitted and run (simulated); a
    // validator and a frobnicator into job-ingest, jobs submitted, refused or their stored jobspec read.
    [InlineData("TplModule", "TplModuleModuleTests.cs", "tpl-module.hello", 4)]
    [InlineData("TplJobtap", "TplJobtapPluginTests.cs", "tpl-jobtap-run", 3)]
    [InlineData("TplValidator", "TplValidatorValidatorTests.cs", "tpl-validator: jobs must set a time limit", 3)]
    [InlineData("TplDefaults", "TplDefaultsFrobnicatorTests.cs", "LoadFrobnicatorAsync<TplDefaultsFrobnicator>", 3)]
    // A shell plugin into every job's shell (real execution), printenv's output read back.
    [InlineData("TplEnv", "TplEnvPluginTests.cs", "printenv\", \"TPL_SHELL", 3)]
    public async Task Template_ItsTestProject_PassesInProcessOffline(string project, string testFile, string pluginWord, int count)
    {
        var tests = Path.Combine(plugins.Source(project), project + ".Tests");
        var output = await DotnetProcess.RunAsync(tests, plugins.DotnetEnv, "test", "-c", "Release", "-nologo", "--disable-build-servers", "-p:NuGetAudit=false");
        Assert.Matches($@"Passed!\s+-\s+Failed:\s+0,\s+Passed:\s+{count},", output);
        // The template's names were replaced in the tests too.
        Assert.Contains(pluginWord, File.ReadAllText(Path.Combine(tests, testFile)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Module_LoadedByNameAndUnderAnother_AnswersItsRpcWithTheConfiguredGreeting()
    {
        // The greeting is the [tpl-module] table's, bound to TplModuleSettings (IOptions<T>) when the module loads.
        var conf = TempDirs.Create("flux-templates-conf-", "tpl-module.toml", "[tpl-module]\ngreeting = \"Hi\"\n");
        var r = await FluxProcess.RunAsync(["start", $"--config-path={conf}", "sh", "-c",
            "flux module load tpl-module && flux rpc tpl-module.hello '{\"name\":\"Ada\"}' && flux rpc tpl-module.hello"
            + " && flux module load -n tpl-other tpl-module && flux rpc tpl-other.hello && flux plugin list && flux dmesg"], env: plugins.FluxEnv);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Hi, Ada!", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"greeting\":\"Hi, world!\",\"calls\":2", r.Stdout, StringComparison.Ordinal);
        // Under another name it serves that name, configured by the same table: its topics follow its service, so no warning either.
        Assert.Contains("\"greeting\":\"Hi, world!\",\"calls\":1", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("outside the module's services", r.Stdout, StringComparison.Ordinal);
        Assert.Contains(r.Stdout.Split('\n'), l => l.StartsWith("Module", StringComparison.Ordinal) && l.Contains("tpl-module", StringComparison.Ordinal) && l.Contains("loaded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Module_UnknownKeyInItsTable_LoadFailsNamingFileTableAndKey()
    {
        var conf = TempDirs.Create("flux-templates-conf-", "tpl-module.toml", "[tpl-module]\ngreting = \"Hi\"\n");
        var r = await FluxProcess.RunAsync(["start", $"--config-path={conf}", "sh", "-c", "flux module load tpl-module; echo rc=$?"], env: plugins.FluxEnv);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("rc=1", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("tpl-module.toml: [tpl-module] greting: unknown key (expected greeting), got \"Hi\"", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobtap_LoadedByName_PostsAnEventToARunningJob()
    {
        var r = await FluxProcess.RunAsync(["start", "sh", "-c",
            "flux jobtap load tpl-jobtap note=hi && flux run true && flux job eventlog $(flux job last) && flux jobtap query tpl-jobtap"], env: plugins.FluxEnv);
        Assert.True(r.ExitCode == 0, r.ToString());
        var posted = Assert.Single(r.Stdout.Split('\n'), l => l.Contains(" tpl-jobtap-run", StringComparison.Ordinal));
        Assert.Contains("hi", posted, StringComparison.Ordinal);
        Assert.Contains("\"runs\"", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShellPlugin_Installed_LoadsForEachJobAndByNameInInitrc()
    {
        // Installed by flux plugin install and nothing else: the shell finds it among the installed
        // packages for every job, and initrc's plugin.load finds it by its [FluxPlugin] name (with a conf).
        var rc = TempDirs.Create("flux-templates-rc-", "rc.lua", "plugin.load { file = \"tpl-shell\", conf = { value = \"hi\" } }\n");
        var r = await FluxProcess.RunAsync(["start", "sh", "-c",
            $"flux run -n2 --label-io printenv TPL_SHELL && flux run -o userrc={rc}/rc.lua printenv TPL_SHELL"], env: plugins.FluxEnv);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("0: tpl-shell (rank 0)\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("1: tpl-shell (rank 1)\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("\nhi (rank 0)\n", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShellPlugin_UnknownNameInInitrc_FailsTheJobListingWhereItLooked()
    {
        var rc = TempDirs.Create("flux-templates-rc-", "rc.lua", "plugin.load (\"tpl-nosuch\")\n");
        var r = await FluxProcess.RunAsync(["start", "sh", "-c", $"flux run -o userrc={rc}/rc.lua true"], env: plugins.FluxEnv);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("plugin.load: tpl-nosuch: tpl-nosuch: No such plugin found (no shell plugin named 'tpl-nosuch' in ", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validator_ListedByName_RejectsAJobWithItsMessage()
    {
        var conf = TempDirs.Create("flux-templates-conf-", "ingest.toml", "[ingest.validator]\nplugins = [\"jobspec\", \"tpl-validator\"]\n");
        var r = await FluxProcess.RunAsync(["start", $"--config-path={conf}", "sh", "-c",
            "flux submit true; echo rc=$?; flux submit -t 10m true >/dev/null && echo accepted"], env: plugins.FluxEnv);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.DoesNotContain("rc=0", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("tpl-validator: jobs must set a time limit: flux submit -t DURATION", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("accepted", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Frobnicator_ListedByName_SetsTheDefault()
    {
        var conf = TempDirs.Create("flux-templates-conf-", "ingest.toml",
            "[ingest.frobnicator]\nplugins = [\"tpl-defaults\"]\n[ingest.frobnicator.tpl-defaults]\nduration = 600\n");
        var r = await FluxProcess.RunAsync(["start", $"--config-path={conf}", "sh", "-c",
            "flux submit true >/dev/null && flux job info $(flux job last) jobspec && flux submit -t 5m true >/dev/null && flux job info $(flux job last) jobspec"], env: plugins.FluxEnv);
        Assert.True(r.ExitCode == 0, r.ToString());
        var specs = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, specs.Length);
        Assert.Equal(600, System.Text.Json.Nodes.JsonNode.Parse(specs[0])!["attributes"]!["system"]!["duration"]!.GetValue<double>());
        Assert.Equal(300, System.Text.Json.Nodes.JsonNode.Parse(specs[1])!["attributes"]!["system"]!["duration"]!.GetValue<double>());
    }

    [Fact]
    public async Task Connector_SchemeInFluxUri_Connects()
    {
        var r = await FluxProcess.RunAsync(["start", "sh", "-c",
            "FLUX_URI=\"tpl-connector://${FLUX_URI#local://}\" flux getattr rank && FLUX_URI=\"tpl-connector://${FLUX_URI#local://}?trace=1\" flux getattr size"], env: plugins.FluxEnv);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["0", "1"], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("tpl-connector: send attr.get", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("tpl-connector: recv attr.get", r.Stderr, StringComparison.Ordinal);
    }
}

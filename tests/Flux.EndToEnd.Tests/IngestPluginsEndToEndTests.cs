// Validators and frobnicators as a user meets them: the admin guide's [ingest.validator] examples, --list-plugins, the samples loaded from their dlls.
namespace Flux.EndToEnd.Tests;

public sealed class IngestPluginsEndToEndTests : IDisposable
{
    private const string RequireInstanceMessage =
        "Direct job submission is disabled for this instance. Please use the flux-batch(1) or flux-alloc(1) commands.";

    private readonly string _dir = TempDirs.Create("flux-e2e-ingest-");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Sample(string name) => Repo.SampleDll(name);

    private void Config(string toml) => File.WriteAllText(Path.Combine(_dir, "ingest.toml"), toml);

    [Fact]
    public async Task ListPlugins_Validator_BuiltinsWithDescriptions()
    {
        var r = await FluxProcess.RunAsync("job-validator", "--list-plugins");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(
            """
            Available plugins:
            feasibility           Use feasibility service to validate job
            jobspec               Validate jobspec (RFC 25 version 1, or --require-version=any)
            require-instance      Require that all jobs are new instances of Flux
            schema                Validate jobspec using a JSON Schema (--schema=PATH)

            """, r.Stdout);
    }

    [Fact]
    public async Task ListPlugins_Frobnicator_BuiltinsWithDescriptions()
    {
        var r = await FluxProcess.RunAsync("job-frobnicator", "--list-plugins");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.StartsWith("Available plugins:\n", r.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^constraints +\S", r.Stdout);
        Assert.Matches(@"(?m)^defaults +\S", r.Stdout);
    }

    [Fact]
    public async Task AdminGuide_JobspecAndFeasibility_UnsatisfiableRefusedAtSubmit_OthersRun()
    {
        Config("[ingest.validator]\nplugins = [ \"jobspec\", \"feasibility\" ]\n");
        var r = await FluxProcess.RunAsync("start", $"--config-path={_dir}", "sh", "-c",
            "flux submit -N 1000 true && exit 10; flux run true || exit 11; echo ran");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("flux-submit: ", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("nodes", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("ran\n", r.Stdout);
    }

    [Fact]
    public async Task AdminGuide_RequireInstance_FluxRunRefusedWithGuideMessage_FluxStartJobAccepted()
    {
        Config("[ingest.validator]\nplugins = [ \"jobspec\", \"feasibility\", \"require-instance\" ]\n");
        var r = await FluxProcess.RunAsync("start", $"--config-path={_dir}", "sh", "-c",
            // The accepted job is held (urgency 0) and canceled: the test is about ingest, not about running a nested instance.
            "flux run -n 1 true && exit 10; id=$(flux submit --urgency=0 flux start true) || exit 11; flux cancel $id; flux queue drain; echo accepted");
        Assert.True(r.ExitCode == 0, r.ToString());
        // The guide shows Python's "ERROR: [Errno 22]" prefix; this CLI prints its errors as "flux-CMD: message".
        Assert.Contains($"flux-run: {RequireInstanceMessage}\n", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("accepted\n", r.Stdout);
    }

    [Fact]
    public async Task RequireBankSample_LoadedAtStart_JobWithoutBankRefused_WithBankRuns()
    {
        Config($"[ingest.validator]\nplugins = [\"jobspec\", \"{Sample("RequireBank")}\"]\n[ingest.validator.require-bank]\nbanks = [\"physics\", \"chemistry\"]\n");
        var r = await FluxProcess.RunAsync("start", $"--config-path={_dir}", "sh", "-c",
            "flux submit true && exit 10; flux submit --setattr=system.bank=art true && exit 11; flux run --setattr=system.bank=physics echo ran");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("jobs must name a bank: flux submit --setattr=system.bank=NAME (one of: physics, chemistry)", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("unknown bank 'art' (one of: physics, chemistry)", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("ran\n", r.Stdout);
    }

    [Fact]
    public async Task SiteDefaultsSample_LoadedByConfigReload_StoredJobspecHasDefaultProject()
    {
        var toml = $"[ingest.frobnicator]\nplugins = [\"{Sample("SiteDefaults")}\"]\n[ingest.frobnicator.site-defaults]\nproject = \"general\"\n";
        var script = $"""
            id=$(flux submit true) || exit 10
            flux job info $id jobspec | grep -q '"project"' && exit 11
            printf '%s' '{toml.Replace("'", "'\\''", StringComparison.Ordinal)}' > {_dir}/ingest.toml
            flux config reload || exit 12
            id=$(flux submit true) || exit 13
            flux job info $id jobspec
            id=$(flux submit --setattr=system.project=mine true) || exit 14
            flux job info $id jobspec
            flux queue drain
            """;
        var r = await FluxProcess.RunAsync("start", $"--config-path={_dir}", "sh", "-c", script);
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"project\":\"general\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"project\":\"mine\"", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SiteDefaultsSample_BadConf_ReloadRefusedNamingIt_OldSetStays()
    {
        var script = $"""
            printf '[ingest.frobnicator]\nplugins = ["{Sample("SiteDefaults")}"]\n[ingest.frobnicator.site-defaults]\nguest-max-duration = -1\n' > {_dir}/ingest.toml
            flux config reload && exit 10
            flux submit true >/dev/null || exit 11
            flux queue drain
            echo submitted
            """;
        var r = await FluxProcess.RunAsync("start", $"--config-path={_dir}", "sh", "-c", script);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("frobnicator plugin site-defaults: guest-max-duration must be a number of seconds > 0", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("submitted\n", r.Stdout);
    }
}

// perilog.so prolog and epilog, job-manager housekeeping and flux admin system-scripts, run as an admin runs them.
namespace Flux.EndToEnd.Tests;

public sealed class PrologEndToEndTests : IDisposable
{
    private readonly string _dir = TempDirs.Create("flux-e2e-prolog-");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Conf => Path.Combine(_dir, "conf");

    // An instance started on a config directory holding `toml`, running `script` under sh; the
    // system scripts are looked for under this test's folder, never the machine's /etc.
    private async Task<FluxResult> StartAsync(string toml, string script)
    {
        Directory.CreateDirectory(Conf);
        File.WriteAllText(Path.Combine(Conf, "system.toml"), toml);
        var env = new Dictionary<string, string>
        {
            ["FLUX_SYSTEM_SCRIPTS_LIBEXECDIR"] = Path.Combine(_dir, "libexec"),
            ["FLUX_SYSTEM_SCRIPTS_CONFDIR"] = Path.Combine(_dir, "etc"),
        };
        return await FluxProcess.RunAsync(["start", $"--config-path={Conf}", "sh", "-c", script], env: env);
    }

    private const string LoadPerilog = "[job-manager]\nplugins = [ { load = \"perilog.so\" } ]\n";

    private static List<string> EventNames(string eventlog) =>
        [.. eventlog.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[1])];

    private void Script(string path, string body, bool executable = true)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (executable)
        {
            Executables.Write(path, "#!/bin/sh\n" + body + "\n");
        }
        else
        {
            File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        }
    }

    [Fact]
    public async Task Prolog_Succeeds_RunsBeforeStartWithJobEnvironment()
    {
        var toml = LoadPerilog + $"[job-manager.prolog]\ncommand = [\"sh\", \"-c\", \"echo $FLUX_JOB_ID $FLUX_JOB_USERID > {_dir}/prolog.out; flux getattr rank >> {_dir}/prolog.out\"]\n";
        var r = await StartAsync(toml, "id=$(flux submit true); flux job wait-event $id clean >/dev/null; flux job id --to=f58 $id; id -u; flux job eventlog $id");
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n');
        var names = EventNames(string.Join('\n', lines.Skip(2)));
        Assert.True(names.IndexOf("prolog-start") >= 0 && names.IndexOf("prolog-start") < names.IndexOf("prolog-finish") && names.IndexOf("prolog-finish") < names.IndexOf("start"),
            $"expected prolog-start, prolog-finish, then start:\n{r.Stdout}");
        Assert.Contains("status=0", lines.Single(l => l.Contains(" prolog-finish ", StringComparison.Ordinal)), StringComparison.Ordinal);
        // FLUX_JOB_ID in F58 as perilog.c sets it, the job's user, and FLUX_URI reaching this instance.
        Assert.Equal($"{lines[0]} {lines[1]}\n0\n", File.ReadAllText(Path.Combine(_dir, "prolog.out")));
    }

    [Fact]
    public async Task Prolog_FailsPerRank_DrainsNodeAndRaisesFatalException()
    {
        var toml = LoadPerilog + "[job-manager.prolog]\nper-rank = true\ncommand = [\"sh\", \"-c\", \"exit 3\"]\n";
        var r = await StartAsync(toml, "id=$(flux submit true); flux job wait-event $id clean >/dev/null; flux job eventlog $id; echo --; flux resource drain -no '{ranks} {reason}'; flux job id --to=f58 $id");
        Assert.True(r.ExitCode == 0, r.ToString());
        var parts = r.Stdout.Split("--\n");
        var names = EventNames(parts[0]);
        Assert.DoesNotContain("start", names);
        Assert.Contains("type=\"prolog\" severity=0 note=\"prolog exited with code=3 on ", parts[0], StringComparison.Ordinal);
        Assert.Contains("(rank 0)", parts[0], StringComparison.Ordinal);
        var f58 = parts[1].Split('\n')[1];
        Assert.Equal($"0 prolog failed for job {f58}", parts[1].Split('\n')[0]);
    }

    [Fact]
    public async Task Prolog_TimesOut_KilledDrainedAndJobFails()
    {
        var toml = LoadPerilog + "[job-manager.prolog]\nper-rank = true\ntimeout = \"0.5s\"\ncommand = [\"sleep\", \"300\"]\n";
        var r = await StartAsync(toml, "id=$(flux submit true); flux job wait-event $id clean >/dev/null; flux job eventlog $id; echo --; flux resource drain -no '{reason}'");
        Assert.True(r.ExitCode == 0, r.ToString());
        var parts = r.Stdout.Split("--\n");
        Assert.Contains("type=\"prolog\" severity=0 note=\"prolog timed out on ", parts[0], StringComparison.Ordinal);
        Assert.StartsWith("prolog timed out for job ", parts[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Epilog_RunsAfterJobBeforeFree()
    {
        var toml = LoadPerilog + $"[job-manager.epilog]\ncommand = [\"sh\", \"-c\", \"echo epilog $FLUX_JOB_ID > {_dir}/epilog.out\"]\n";
        var r = await StartAsync(toml, "id=$(flux submit true); flux job wait-event $id clean >/dev/null; flux job eventlog $id");
        Assert.True(r.ExitCode == 0, r.ToString());
        var names = EventNames(r.Stdout);
        Assert.True(names.IndexOf("finish") < names.IndexOf("epilog-start") && names.IndexOf("epilog-start") < names.IndexOf("epilog-finish") && names.IndexOf("epilog-finish") < names.IndexOf("free"),
            $"expected finish, epilog-start, epilog-finish, then free:\n{r.Stdout}");
        Assert.StartsWith("epilog ƒ", File.ReadAllText(Path.Combine(_dir, "epilog.out")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Housekeeping_HoldsResourcesUntilDone_ThenNextJobRuns()
    {
        // Housekeeping says it started, then waits for the test's go-ahead: meanwhile the node stays
        // allocated and the next whole-node job waits in SCHED.
        Script(Path.Combine(_dir, "hk.sh"), $"echo $FLUX_JOB_ID >> {_dir}/hk.out; touch {_dir}/hk-started; while [ ! -e {_dir}/go ]; do sleep 0.05; done");
        var toml = $"[job-manager.housekeeping]\ncommand = [\"{_dir}/hk.sh\"]\n";
        var script = $$"""
            id1=$(flux submit -N1 -x true); flux job wait-event $id1 clean >/dev/null
            while [ ! -e {{_dir}}/hk-started ]; do sleep 0.05; done
            id2=$(flux submit -N1 -x true)
            flux jobs -no '{state}' $id2
            touch {{_dir}}/go
            flux job wait-event $id2 clean >/dev/null && flux jobs -no '{state}' $id2
            flux job id --to=dec $id1
            """;
        var r = await StartAsync(toml, script);
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n');
        Assert.Equal("SCHED", lines[0]);
        Assert.Equal("INACTIVE", lines[1]);
        // FLUX_JOB_ID in decimal, as housekeeping.c sets it.
        Assert.Equal(lines[2], File.ReadAllLines(Path.Combine(_dir, "hk.out"))[0]);
    }

    [Fact]
    public async Task Housekeeping_Fails_NodeDrained()
    {
        var toml = "[job-manager.housekeeping]\ncommand = [\"false\"]\n";
        var script = "id=$(flux submit true); flux job wait-event $id clean >/dev/null; until flux resource drain -no '{reason}' | grep -q housekeeping; do sleep 0.05; done; flux resource drain -no '{reason}'";
        var r = await StartAsync(toml, script);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.StartsWith("housekeeping failed for job ƒ", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HousekeepingListAndKill_RunningHousekeeping_ListedThenKilledAndDrained()
    {
        // A housekeeping script that never ends on its own: list shows its job holding the node, kill
        // ends it (SIGTERM, a failure), the node is drained and released, and list is empty again.
        Script(Path.Combine(_dir, "hk.sh"), $"touch {_dir}/hk-started; exec sleep 3600");
        var toml = $"[job-manager.housekeeping]\ncommand = [\"{_dir}/hk.sh\"]\n";
        var script = $$"""
            id=$(flux submit -N1 -x true); flux job wait-event $id clean >/dev/null
            while [ ! -e {{_dir}}/hk-started ]; do sleep 0.05; done
            flux housekeeping list
            flux housekeeping list -no '{id.dec} {ranks} {pending.ranks} {nnodes}'
            flux job id --to=dec $id
            flux housekeeping kill 2>&1; echo "exit $?"
            flux housekeeping kill --all -j $id 2>&1; echo "exit $?"
            flux housekeeping kill -t nosuchhost 2>&1; echo "exit $?"
            flux housekeeping kill --all
            until flux resource drain -no '{reason}' | grep -q housekeeping; do sleep 0.05; done
            flux resource drain -no '{reason}'
            until [ -z "$(flux housekeeping list -n)" ]; do sleep 0.05; done
            echo empty
            """;
        var r = await StartAsync(toml, script);
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n');
        Assert.Matches(@"^ +JOBID +NNODES +#ACTIVE +RUNTIME +NODELIST$", lines[0]);
        Assert.Matches(@"^ *ƒ\S+ +1 +1 +\d+(\.\d+)?[sm] +\S+$", lines[1]);
        Assert.Equal($"{lines[3]} 0 0 1", lines[2]);
        Assert.Equal("flux-housekeeping: specify at least one of --targets, --jobid, or --all", lines[4]);
        Assert.Equal("exit 1", lines[5]);
        Assert.Equal("flux-housekeeping: do not specify --jobid with --all", lines[6]);
        Assert.Equal("flux-housekeeping: didn't find nosuchhost in instance hostlist", lines[8]);
        Assert.StartsWith("housekeeping failed for job ƒ", lines[10], StringComparison.Ordinal);
        Assert.Equal("empty", lines[11]);
    }

    [Fact]
    public async Task SystemScripts_Verbose_ShowsFoldersAndTheDefaultPrologRunsThem()
    {
        Script(Path.Combine(_dir, "libexec", "prolog.d", "01-package.sh"), $"echo package >> {_dir}/ran");
        Script(Path.Combine(_dir, "etc", "flux", "system", "prolog.d", "10-site.sh"), $"echo site >> {_dir}/ran");
        Script(Path.Combine(_dir, "etc", "flux", "system", "prolog.d", "20-off.sh"), $"echo off >> {_dir}/ran", executable: false);
        Script(Path.Combine(_dir, "etc", "flux", "system", "housekeeping.d", "50-hk.sh"), "true");
        var toml = LoadPerilog + "[job-manager.prolog]\nper-rank = true\n";
        var r = await StartAsync(toml, "flux admin system-scripts -v; echo --; flux admin system-scripts; id=$(flux submit true); flux job wait-event $id clean >/dev/null");
        Assert.True(r.ExitCode == 0, r.ToString());
        var parts = r.Stdout.Split("--\n");
        Assert.Equal($"""
            ▸ prolog: enabled (per-rank=true)
              system: {_dir}/libexec/prolog.d
                ✓ 01-package.sh
              site: {_dir}/etc/flux/system/prolog.d
                ✓ 10-site.sh
                ✗ not executable 20-off.sh

            ▸ epilog: not configured

            ▸ housekeeping: not configured
              site: {_dir}/etc/flux/system/housekeeping.d
                ✓ 50-hk.sh


            """, parts[0]);
        Assert.Contains("▸ housekeeping: not configured\n\n", parts[1], StringComparison.Ordinal);
        Assert.DoesNotContain("50-hk.sh", parts[1], StringComparison.Ordinal);
        Assert.Equal("package\nsite\n", File.ReadAllText(Path.Combine(_dir, "ran")));
    }

    [Fact]
    public async Task SiteSingleScript_Executable_ReplacesSiteFolder()
    {
        Script(Path.Combine(_dir, "etc", "flux", "system", "epilog"), $"echo legacy >> {_dir}/ran");
        Script(Path.Combine(_dir, "etc", "flux", "system", "epilog.d", "10-site.sh"), $"echo site >> {_dir}/ran");
        var toml = LoadPerilog + "[job-manager.epilog]\n";
        var r = await StartAsync(toml, "flux admin system-scripts; id=$(flux submit true); flux job wait-event $id clean >/dev/null");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"  site:\n    ✓ {_dir}/etc/flux/system/epilog (legacy, skips site scripts)\n", r.Stdout, StringComparison.Ordinal);
        Assert.Equal("legacy\n", File.ReadAllText(Path.Combine(_dir, "ran")));
    }

    [Fact]
    public async Task Config_UnknownKeys_RefusedNamingThem()
    {
        var toml = "[job-manager.prolog]\ncommand = [\"true\"]\nbogus = 1\n";
        var r = await StartAsync(toml, $"""
            flux jobtap load perilog.so
            printf '[job-manager.housekeeping]\nuse-systemd-unit = true\n' > {Conf}/hk.toml
            flux config reload
            printf '[job-manager.housekeeping]\ncommand = ["true"]\nexit-on-first-error = true\n' > {Conf}/hk.toml
            flux config reload
            flux admin nosuch
            """);
        Assert.Contains("[job-manager.prolog] bogus: unknown key", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("[job-manager.housekeeping] use-systemd-unit: unknown key", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("[job-manager.housekeeping] exit-on-first-error: applies to the system scripts only", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("flux-admin: unknown subcommand 'nosuch'", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("system-scripts", r.Stderr, StringComparison.Ordinal);
    }
}

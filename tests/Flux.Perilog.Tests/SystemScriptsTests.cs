// The system-script folder rule and one run of them, as flux-core's flux-run-system-scripts behaves.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.SystemScripts;

namespace Flux.Perilog.Tests;

public sealed class SystemScriptsTests : IDisposable
{
    private readonly string _dir = TempDirs.Create("flux-perilog-");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private SystemScriptLocations Locations => new(Path.Combine(_dir, "libexec"), Path.Combine(_dir, "etc"));

    private string Site(string name) => Path.Combine(_dir, "etc", "flux", "system", name);

    private string Script(string path, string body, bool executable = true)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (executable)
        {
            return Executables.Write(path, "#!/bin/sh\n" + body + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    private static async Task<(int Status, List<string> Lines)> RunAsync(ScriptCommand command)
    {
        var lines = new List<string>();
        using var run = ScriptRun.Start(command, ["PATH=/usr/bin:/bin", "FLUX_JOB_ID=f1"], (stream, line) =>
        {
            lock (lines)
            {
                lines.Add(stream + ": " + line);
            }
        });
        var status = await Await.Within(run.Completion, "the script run to end");
        return (status, lines);
    }

    [Fact]
    public void List_PackageThenSiteFolder_ExecutableOnlyInNameOrder()
    {
        Script(Path.Combine(_dir, "libexec", "prolog.d", "b.sh"), "true");
        Script(Path.Combine(_dir, "libexec", "prolog.d", "a.sh"), "true");
        Script(Site("prolog.d/10-x.sh"), "true");
        Script(Site("prolog.d/20-off.sh"), "true", executable: false);
        var l = Locations.List("prolog");
        Assert.Equal(["a.sh", "b.sh", "10-x.sh"], l.RunOrder.Select(s => s.Name));
        Assert.False(l.UsesLegacy);
        Assert.Equal(["10-x.sh", "20-off.sh"], l.SiteScripts.Select(s => s.Name));
    }

    [Fact]
    public void List_ExecutableSiteScript_ReplacesSiteFolder()
    {
        Script(Site("epilog"), "true");
        Script(Site("epilog.d/10-x.sh"), "true");
        var l = Locations.List("epilog");
        Assert.True(l.UsesLegacy);
        Assert.Equal(["epilog"], l.RunOrder.Select(s => s.Name));
    }

    [Fact]
    public void List_NonExecutableSiteScript_SiteFolderRuns()
    {
        Script(Site("epilog"), "true", executable: false);
        Script(Site("epilog.d/10-x.sh"), "true");
        Assert.Equal(["10-x.sh"], Locations.List("epilog").RunOrder.Select(s => s.Name));
    }

    [Fact]
    public async Task Run_SystemScripts_AllRunAndHighestExitCodeWins()
    {
        Script(Path.Combine(_dir, "libexec", "prolog.d", "1.sh"), "echo one $FLUX_JOB_ID; exit 2");
        Script(Path.Combine(_dir, "libexec", "prolog.d", "2.sh"), "echo two >&2; exit 5");
        Script(Path.Combine(_dir, "libexec", "prolog.d", "3.sh"), "echo three");
        var (status, lines) = await RunAsync(new ScriptCommand("prolog", null, false, Locations));
        Assert.Equal(5, status >> 8);
        Assert.Equal(["stdout: one f1", "stderr: 1.sh: exit 2", "stderr: two", "stderr: 2.sh: exit 5", "stdout: three"], lines);
    }

    [Fact]
    public async Task Run_ExitOnFirstError_StopsAtFirstFailure()
    {
        Script(Path.Combine(_dir, "libexec", "prolog.d", "1.sh"), "exit 3");
        Script(Path.Combine(_dir, "libexec", "prolog.d", "2.sh"), "echo never");
        var (status, lines) = await RunAsync(new ScriptCommand("prolog", null, true, Locations));
        Assert.Equal(3, status >> 8);
        Assert.DoesNotContain("stdout: never", lines);
    }

    [Fact]
    public async Task Run_SiteScript_ItsStatusIsTheRunsLikeExec()
    {
        Script(Path.Combine(_dir, "libexec", "epilog.d", "1.sh"), "exit 4");
        Script(Site("epilog"), "exit 0");
        var (status, _) = await RunAsync(new ScriptCommand("epilog", null, false, Locations));
        Assert.Equal(0, status);
    }

    [Fact]
    public async Task Run_Command_MissingProgramIs127()
    {
        var (status, lines) = await RunAsync(new ScriptCommand("prolog", [Path.Combine(_dir, "nope")], false, Locations));
        Assert.Equal(127, status >> 8);
        Assert.Contains(lines, l => l.Contains("No such file or directory", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Signal_RunningScript_GroupKilledAndNoMoreRun()
    {
        var started = Path.Combine(_dir, "started");
        Script(Path.Combine(_dir, "libexec", "prolog.d", "1.sh"), $"touch {started}; sleep 300 & wait");
        Script(Path.Combine(_dir, "libexec", "prolog.d", "2.sh"), "echo never");
        var lines = new List<string>();
        using var run = ScriptRun.Start(new ScriptCommand("prolog", null, false, Locations), ["PATH=/usr/bin:/bin"], (s, l) => lines.Add(l));
        using var watcher = new FileSystemWatcher(_dir, "started") { EnableRaisingEvents = true };
        var created = new TaskCompletionSource();
        watcher.Created += (_, _) => created.TrySetResult();
        if (!File.Exists(started))
        {
            await Await.Within(created.Task, "the first script to start");
        }
        Assert.True(run.Signal(15));
        var status = await Await.Within(run.Completion, "the signaled run to end");
        Assert.Equal(15, status & 0x7f);
        Assert.DoesNotContain("never", lines);
    }

    [Fact]
    public void FromConfig_ExitOnFirstErrorWithCommand_Refused()
    {
        var config = new FluxConfig(new JsonObject { ["job-manager"] = new JsonObject { ["prolog"] = new JsonObject { ["command"] = new JsonArray("true"), ["exit-on-first-error"] = true } } });
        var ex = Assert.Throws<ConfigException>(() => ScriptCommand.FromConfig(config, "job-manager.prolog", "prolog", Locations));
        Assert.Contains("[job-manager.prolog] exit-on-first-error: applies to the system scripts only", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfig_CommandNotStrings_Refused()
    {
        var config = new FluxConfig(new JsonObject { ["job-manager"] = new JsonObject { ["epilog"] = new JsonObject { ["command"] = "true" } } });
        var ex = Assert.Throws<ConfigException>(() => ScriptCommand.FromConfig(config, "job-manager.epilog", "epilog", Locations));
        Assert.Contains("[job-manager.epilog] command: expected a non-empty array of strings", ex.Message, StringComparison.Ordinal);
    }
}

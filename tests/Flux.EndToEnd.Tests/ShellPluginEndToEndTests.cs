// C# shell plugins as a user runs them: the sample on the shell plugin path changes each task's
// environment in both shell modes, a plugin that calls Environment.Exit in a shell host fails only its job, and
// a plugin reaches the broker with a guest's rights only.
namespace Flux.EndToEnd.Tests;

public sealed class ShellPluginEndToEndTests : IDisposable
{
    private readonly string _dir = TempDirs.Create("flux-e2e-shellplugin-");

    public void Dispose() => Directory.Delete(_dir, true);

    private static Dictionary<string, string> PluginPath()
    {
        var dir = Path.Combine(FluxProcess.Root, "samples", "ShellEnvPlugin", "bin", "Release", "net10.0");
        Assert.True(File.Exists(Path.Combine(dir, "ShellEnvPlugin.dll")), $"{dir}/ShellEnvPlugin.dll is missing: ./build.sh builds the samples");
        return new() { ["FLUX_SHELL_PLUGIN_PATH"] = dir };
    }

    [Theory]
    [InlineData("broker")]
    [InlineData("process")]
    public async Task SamplePlugin_OnPluginPath_SetsEachTasksVariable(string host)
    {
        ExecToml.Write(_dir, host);
        var r = await FluxProcess.RunAsync(["start", $"--config-path={_dir}", "flux", "run", "-n2", "--label-io", "sh", "-c", "echo $SHELL_ENV_PLUGIN"], env: PluginPath());
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("0: hello from rank 0\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("1: hello from rank 1\n", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PluginCallsEnvironmentExit_InShellHost_OnlyItsJobFails()
    {
        ExecToml.Write(_dir, "process");
        var r = await FluxProcess.RunAsync(["start", $"--config-path={_dir}", "sh", "-c",
            "flux run --env=SHELL_ENV_PLUGIN_EXIT=3 true; echo rc=$?; flux run sh -c 'echo next $SHELL_ENV_PLUGIN'"], env: PluginPath());
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.DoesNotContain("rc=0\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("next hello from rank 0\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("exception", r.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("broker")]
    [InlineData("process")]
    public async Task PluginCallsBroker_AsTheJobsGuest_OwnNamespaceOnly(string host)
    {
        // flux-shell(1): the shell has a guest's access, even in a single-user instance where its
        // process runs as the owner: its job's namespace, services named USERID-*, nothing else.
        ExecToml.Write(_dir, host);
        var probe = Path.GetDirectoryName(Repo.TestPlugin("ShellAccessProbe"))!;
        var r = await FluxProcess.RunAsync(["start", $"--config-path={_dir}", "sh", "-c", "flux run true; flux kvs get probe; echo rc=$?"],
            env: new Dictionary<string, string> { ["FLUX_SHELL_PLUGIN_PATH"] = probe });
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("probe guest-namespace: ok", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("probe primary-namespace: errno 1", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("probe other-service: errno 1", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("rc=1", r.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("broker", "1 1 1")]
    [InlineData("process", "1 2 1")]
    public async Task ShellHost_KeepsAPluginsContextBetweenJobs_UntilItsFileChanges(string host, string constructions)
    {
        // The shell host keeps an IL plugin's load context for the next job (each job still gets a new
        // instance: the static count goes up); a changed file gets a new context. job-exec's shell loads afresh.
        ExecToml.Write(_dir, host);
        var probe = Path.Combine(_dir, "probe");
        Directory.CreateDirectory(probe);
        foreach (var f in Directory.EnumerateFiles(Path.GetDirectoryName(Repo.TestPlugin("ShellAccessProbe"))!))
        {
            File.Copy(f, Path.Combine(probe, Path.GetFileName(f)));
        }
        var dll = Path.Combine(probe, "ShellAccessProbe.dll");
        var r = await FluxProcess.RunAsync(["start", $"--config-path={_dir}", "sh", "-c", $"flux run true; flux run true; touch -d '+1 minute' {dll}; flux run true"],
            env: new Dictionary<string, string> { ["FLUX_SHELL_PLUGIN_PATH"] = probe });
        Assert.True(r.ExitCode == 0, r.ToString());
        var seen = System.Text.RegularExpressions.Regex.Matches(r.Stderr, "probe construction (\\d+) in this load context").Select(m => m.Groups[1].Value);
        Assert.Equal(constructions, string.Join(' ', seen));
    }

    [Theory]
    [InlineData("broker")]
    [InlineData("process")]
    public async Task CSharpAndLuaPlugins_InOneJob_RunInLoadOrderAndSeeEachOther(string host)
    {
        // The C# sample (loaded from the plugin path before the initrc) sets its variable in task.init;
        // a Lua handler registered by the userrc runs after it on the same stack and reads it.
        ExecToml.Write(_dir, host);
        var userrc = Path.Combine(_dir, "userrc.lua");
        await File.WriteAllTextAsync(userrc, """
            plugin.register {
                name = "lua-after-csharp",
                handlers = {
                    { topic = "task.init", fn = function ()
                        task.setenv ("SEEN_BY_LUA", "lua saw: " .. (task.getenv ("SHELL_ENV_PLUGIN") or "nothing"))
                    end },
                },
            }
            """);
        var r = await FluxProcess.RunAsync(["start", $"--config-path={_dir}", "flux", "run", "-n2", "--label-io", "-o", $"userrc={userrc}",
            "sh", "-c", "echo $SEEN_BY_LUA"], env: PluginPath());
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("0: lua saw: hello from rank 0\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("1: lua saw: hello from rank 1\n", r.Stdout, StringComparison.Ordinal);
    }
}

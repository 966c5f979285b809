// The system initrc shipped with the engine (FLUX-DIGEST §6.4): plugins, lua.d, the mpi option, the userrc.
using Flux.Shell.Lua;

namespace Flux.Shell.Lua.Tests;

public sealed class DefaultInitrcTests
{
    [Fact]
    public async Task DefaultInitrc_SourcesLuaDMpiOptionAndUserrc_LeavesPluginPathToTheShell()
    {
        Assert.True(File.Exists(ShellRc.DefaultInitrc), ShellRc.DefaultInitrc);
        string plugins = TempDirs.Create("flux-rc-plugins-");
        File.WriteAllText(Path.Combine(plugins, "affinity.dll"), "");
        string extra = TempDirs.Create("flux-rc-extra-");
        File.WriteAllText(Path.Combine(extra, "site.lua"), "shell.setenv ('SITE_RC', 'yes')");
        Directory.CreateDirectory(Path.Combine(extra, "mpi"));
        File.WriteAllText(Path.Combine(extra, "mpi", "foo.lua"), "shell.setenv ('MPI_FOO', 'any')");
        File.WriteAllText(Path.Combine(extra, "mpi", "foo@2.lua"), "shell.setenv ('MPI_FOO_VERSION', '2')");
        string userrc = Path.Combine(extra, "user-initrc.lua");
        File.WriteAllText(userrc, "shell.setenv ('USER_RC', 'yes')");

        var host = new FakeShellHost { PluginSearchPath = plugins };
        host.Env["FLUX_SHELL_RC_PATH"] = extra;
        host.Env["FLUX_JOB_TMPDIR"] = "/tmp/job";
        host.Options["mpi"] = "foo@2";
        host.Options["userrc"] = userrc;
        using var engine = new ShellRc(host, ShellRc.DefaultInitrc);
        engine.Run();

        // The shell has loaded the plugin path's C# plugins by name before the system initrc runs:
        // the initrc loading them again would only replace them.
        Assert.Empty(host.Loaded);
        Assert.Equal("flux", host.Env["OMPI_MCA_pmix"]);
        Assert.Equal("yes", host.Env["SITE_RC"]);
        Assert.Equal("any", host.Env["MPI_FOO"]);
        Assert.Equal("2", host.Env["MPI_FOO_VERSION"]);
        Assert.Equal("yes", host.Env["USER_RC"]);
        Assert.Equal(["openmpi"], host.Plugins.Select(p => p.Name));
        Assert.Empty(await host.CallAsync("shell.init"));
        Assert.Equal("/tmp/job", host.Env["OMPI_MCA_btl_vader_backing_directory"]);
    }

    [Fact]
    public void DefaultInitrc_MpiNone_SkipsOpenMpi()
    {
        var host = new FakeShellHost();
        host.Options["mpi"] = "none";
        using var engine = new ShellRc(host, ShellRc.DefaultInitrc);
        engine.Run();
        Assert.False(host.Env.ContainsKey("OMPI_MCA_pmix"));
        Assert.Empty(host.Plugins);
    }

    [Fact]
    public void Userrc_WithError_FailsWithItsFileAndLine()
    {
        string dir = TempDirs.Create("flux-rc-user-");
        string userrc = Path.Combine(dir, "initrc.lua");
        File.WriteAllText(userrc, "\n\nshell.nosuch.call ()");
        var host = new FakeShellHost();
        host.Options["userrc"] = userrc;
        using var engine = new ShellRc(host, ShellRc.DefaultInitrc);
        var error = Assert.Throws<ShellRcException>(engine.Run);
        Assert.Contains($"source {userrc} failed", error.Message);
        Assert.Contains(host.LogText, l => l.StartsWith($"ERROR: {userrc}:3: attempt to index a nil value", StringComparison.Ordinal));
    }
}

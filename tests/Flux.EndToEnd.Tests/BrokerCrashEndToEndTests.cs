// Crash paths and hangs: start-up errors shown as themselves, a plugin's Environment.Exit told
// apart from the user's command, the initial program signalled when the broker dies, stale
// rundirs removed, module loads that never finish, SIGTERM during one, and a module that fails at
// shutdown (status 1 instead of 0).
using System.Diagnostics;

namespace Flux.EndToEnd.Tests;

public sealed class BrokerCrashEndToEndTests
{
    private static string Faulty => Repo.TestPlugin("FaultyModule");

    [RootFact]
    public async Task Start_ReadOnlyStatedir_SaysSoAndExits1()
    {
        var dir = TempDirs.Create("flux-test-ro-");
        Assert.Equal(0, (await FluxProcess.RunAsync(["-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", dir], exe: "mount")).ExitCode);
        try
        {
            var r = await FluxProcess.RunAsync("start", "-S", $"statedir={dir}", "true");
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("flux-start: statedir: Read-only file system", r.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", r.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            await FluxProcess.RunAsync([dir], exe: "umount");
        }
    }

    [Fact]
    public async Task Plugin_CallsEnvironmentExit_Status70AndSaysWhichModule()
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c", $"flux module load {Faulty} && flux rpc faulty.exit '{{\"code\":3}}'; exit 0");
        Assert.True(r.ExitCode == 70, r.ToString());
        Assert.Contains("flux-start: a plugin ended the broker: Environment.Exit(3) called by module faulty; exiting with status 70 (not the initial program's)", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shutdown_ModuleUnloadFails_Exits1InsteadOf0AndSaysSo()
    {
        var r = await FluxProcess.RunAsync("start", "-S", "broker.module-timeout=1s", "sh", "-c", $"flux module load {Faulty} hang-unload");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("flux-start: 1 module(s) failed at shutdown (see the log above)", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnderIgnoredSignals_InitialProgramGetsDefaultDispositions()
    {
        // As under nohup or a shell's `cmd &`: the broker starts ignoring HUP, INT and QUIT. Its
        // initial program must not inherit that, or neither the broker's SIGHUP at shutdown nor the
        // kernel's on broker death (nor Ctrl-C) could stop it.
        var r = await FluxProcess.RunAsync(["-c", "trap '' HUP INT QUIT; exec flux start grep SigIgn /proc/self/status"], exe: "sh");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("SigIgn:\t0000000000000000", r.Stdout.Trim());
    }

    [Fact]
    public async Task Start_InitialProgram_DoesNotInheritTheRuntimesIgnoredSigpipe()
    {
        // The .NET runtime ignores SIGPIPE and its children keep that: `yes | head -1` would leave
        // yes running on EPIPE errors instead of ending by SIGPIPE, as under flux-core.
        var r = await FluxProcess.RunAsync("start", "grep", "SigIgn", "/proc/self/status");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("SigIgn:\t0000000000000000", r.Stdout.Trim());
    }

    [Fact]
    public async Task Broker_KilledWithSignal9_ProgramGetsSighupAndNextStartRemovesTheRundir()
    {
        var dir = TempDirs.Create("flux-test-k9-");
        var marker = Path.Combine(dir, "hup");
        var ready = Path.Combine(dir, "trap-set");
        await using var inst = await RunningInstance.StartAsync([], program: $"trap 'echo hup > {marker}; exit 3' HUP; echo > {ready}; read line");
        var rundir = Path.GetDirectoryName(inst.SocketPath)!;
        Assert.True(Directory.Exists(rundir));
        // A SIGHUP before the program's shell has set its trap would end it without the marker (seen in CI).
        await Await.Within(WaitForFileAsync(ready), "the initial program to set its HUP trap");
        Process.GetProcessById(inst.BrokerPid).Kill();
        var (rc, _) = await inst.ExitedAsync("the broker to die by SIGKILL");
        // Its shell host (flux-shell --reconnect) waits for a broker on the same rundir: none comes.
        KillShellHostsOf(inst.BrokerPid);
        Assert.Equal(137, rc);
        // The program's shell runs its trap once its `read` is interrupted: it exits by itself.
        await Await.Within(WaitGoneAsync(inst.ProgramPid), "the initial program to exit on SIGHUP after the broker died");
        Assert.Equal("hup", (await File.ReadAllTextAsync(marker)).Trim());
        // (Another test's broker starting meanwhile may already have removed it: any next start does.)

        var next = await FluxProcess.RunAsync("start", "true");
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.False(Directory.Exists(rundir), $"{rundir} of the killed broker was not removed by the next start");
    }

    [Fact]
    public async Task ModuleLoad_NeverCompletes_TimesOutAndTheInstanceGoesOn()
    {
        var r = await FluxProcess.RunAsync("start", "-S", "broker.module-timeout=2s", "sh", "-c",
            $"flux module load {Faulty} hang-load; echo load=$?; flux module load {Faulty} && flux module list && flux module remove faulty");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("load did not complete within 2s (broker.module-timeout)", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("load=1", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("faulty ", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_WhileAModuleLoadHangsForever_BrokerExitsWithinTheGrace()
    {
        // The program starts the endless load, waits until the broker's log says it began, then says so.
        // The grace is what bounds the shutdown; long enough that 2 loaded cores finish the orderly
        // part (SIGHUP to the program, modules stopped) within it (5 s did not, once, in CI).
        await using var inst = await RunningInstance.StartAsync(["-S", "broker.module-timeout=inf", "-S", "broker.shutdown-grace=15s"],
            program: $"flux module load {Faulty} hang-load & until flux dmesg | grep -q 'module faulty: loading'; do :; done; echo loading; exec cat >/dev/null");
        Assert.Equal("loading", await Await.Within(inst.Process.StandardOutput.ReadLineAsync(), "the module load to begin"));
        var sw = Stopwatch.StartNew();
        Assert.Equal(0, (await FluxProcess.RunAsync(["-TERM", inst.BrokerPid.ToString(System.Globalization.CultureInfo.InvariantCulture)], exe: "kill")).ExitCode);
        var (rc, stderr) = await inst.ExitedAsync("the broker to exit after SIGTERM");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(40), $"shutdown took {sw.Elapsed}: {stderr}");
        // The program got SIGHUP from the shutdown: its exit code is flux start's.
        Assert.Equal(129, rc);
    }

    [Fact]
    public async Task Sigterm_DuringStartUp_ExitsWith143AndSaysStartUpWasInterrupted()
    {
        // rc1's last module never finishes loading; once it has begun, SIGTERM cancels the start-up.
        var dir = TempDirs.Create("flux-test-rc1-term-");
        var marker = Path.Combine(dir, "loading");
        var psi = new ProcessStartInfo(FluxProcess.FluxExe) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "start", "-S", $"conf.module_path={Path.GetDirectoryName(Faulty)}", "-S", "broker.rc1_path=content,faulty", "-S", "broker.module-timeout=inf", "true" })
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["FLUX_FAULTY_HANG_LOAD"] = marker;
        psi.Environment.Remove("FLUX_URI");
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            await Await.Within(WaitForFileAsync(marker), "the rc1 load of faulty to begin");
            Assert.Equal(0, (await FluxProcess.RunAsync(["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], exe: "kill")).ExitCode);
            await Await.Within(p.WaitForExitAsync(), "flux start to exit after SIGTERM during start-up");
            var err = await stderr;
            Assert.True(p.ExitCode == 143, $"exit {p.ExitCode}: {err}");
            Assert.Contains("flux-start: start-up interrupted by signal 15", err, StringComparison.Ordinal);
            Assert.DoesNotContain("load canceled", err, StringComparison.Ordinal);
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }
            TempDirs.Remove(dir);
        }
    }

    // The shell hosts a broker started (their service is UID-shell-host-BROKERPID-N), which outlive it by design.
    private static void KillShellHostsOf(int brokerPid)
    {
        var service = $"-shell-host-{brokerPid}-";
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(service, StringComparison.Ordinal))
                {
                    Process.GetProcessById(pid).Kill();
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone meanwhile.
            }
        }
    }

    private static async Task WaitForFileAsync(string path)
    {
        while (!File.Exists(path))
        {
            await Task.Delay(20);
        }
    }

    private static async Task WaitGoneAsync(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            await p.WaitForExitAsync();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }
}

// The KVS as a user drives it: flux start, flux kvs, restart on a statedir, kill -9 recovery, dump/restore.
namespace Flux.Kvs.Tests;

public sealed class KvsEndToEndTests
{
    private static string NewStatedir() => TempDirs.Create("flux-kvs-e2e-");

    [Fact]
    public async Task Start_PutThenGet_PrintsValue()
    {
        var r = await FluxProcess.RunAsync("start", "sh", "-c", "flux kvs put a.b=1 && flux kvs get a.b");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("1\n", r.Stdout);
    }

    [Fact]
    public async Task Restart_SameStatedir_KeepsKeys()
    {
        var dir = NewStatedir();
        var first = await FluxProcess.RunAsync("start", "-S", $"statedir={dir}", "sh", "-c", "flux kvs put a.b=1 c=hello && flux kvs eventlog append ev start");
        Assert.True(first.ExitCode == 0, first.ToString());
        var second = await FluxProcess.RunAsync("start", "-S", $"statedir={dir}", "sh", "-c", "flux kvs get a.b c && flux kvs eventlog get ev && flux dmesg");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.StartsWith("1\nhello\n", second.Stdout, StringComparison.Ordinal);
        Assert.Contains(" start", second.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("not shut down cleanly", second.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KillMinus9_Restart_RecoversLastCheckpointAndSaysSo()
    {
        var dir = NewStatedir();
        // The commits before the --sync one are covered by its checkpoint; then the broker is killed.
        var script = "flux kvs put early=1 && flux kvs put --sync synced=2 && kill -9 $(flux getattr broker.pid)";
        var crashed = await FluxProcess.RunAsync("start", "-S", $"statedir={dir}", "sh", "-c", script);
        Assert.True(crashed.ExitCode == 137, crashed.ToString());
        var after = await FluxProcess.RunAsync("start", "-S", $"statedir={dir}", "sh", "-c", "flux kvs get early synced && flux dmesg");
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.StartsWith("1\n2\n", after.Stdout, StringComparison.Ordinal);
        Assert.Contains("was not shut down cleanly", after.Stdout, StringComparison.Ordinal);
        Assert.Contains("restored checkpoint from", after.Stdout, StringComparison.Ordinal);
        // The clean shutdown that followed clears the marker.
        var third = await FluxProcess.RunAsync("start", "-S", $"statedir={dir}", "flux", "dmesg");
        Assert.DoesNotContain("not shut down cleanly", third.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadInput_ClearErrors()
    {
        var script = "flux kvs put d.x=1; flux kvs get d; flux kvs put d=2; flux kvs get a..b; flux kvs get -N nons k; flux kvs get nokey; true";
        var r = await FluxProcess.RunAsync("start", "sh", "-c", script);
        Assert.Contains("flux-kvs: d: Is a directory", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("flux-kvs: d: Is a directory (use -R", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("flux-kvs: invalid key 'a..b'", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("flux-kvs: namespace 'nons' does not exist", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("flux-kvs: nokey: No such file or directory", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DumpThenRestore_IntoNewInstance_RecreatesKeys()
    {
        var tar = Path.Combine(NewStatedir(), "kvs.tar");
        var dump = await FluxProcess.RunAsync("start", "sh", "-c", $"flux kvs put x.y=1 x.z=two && flux kvs link x.y l && flux kvs mkdir empty && flux dump {tar}");
        Assert.True(dump.ExitCode == 0, dump.ToString());
        var restore = await FluxProcess.RunAsync("start", "sh", "-c", $"flux restore {tar} && flux kvs get x.y x.z l && flux kvs readlink l && flux kvs dir empty");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal("1\ntwo\n1\nx.y\n", restore.Stdout);
    }

    [Fact]
    public async Task ShutdownGc_AndOfflineContentGc_KeepLiveKeys()
    {
        var dir = NewStatedir();
        var r = await FluxProcess.RunAsync("start", "-S", $"statedir={dir}", "sh", "-c", "for i in 1 2 3 4 5 6; do flux kvs put k=$i; done; flux shutdown --gc");
        Assert.Contains("flux-shutdown: unreachable KVS content will be removed", r.Stderr, StringComparison.Ordinal);
        var gc = await FluxProcess.RunAsync("content", "gc", "--statedir", dir);
        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.Contains("flux-content: gc: removed", gc.Stdout, StringComparison.Ordinal);
        var get = await FluxProcess.RunAsync("start", "-S", $"statedir={dir}", "flux", "kvs", "get", "k");
        Assert.Equal("6\n", get.Stdout);
    }

    [Fact]
    public async Task EventlogWatchFromCli_PrintsEveryEventWhateverTheTiming()
    {
        // Whenever the watcher starts, it prints the log so far, then each appended event: 3 in all.
        var script = "flux kvs eventlog get --watch --waitcreate --count=3 -u job.log > out.txt & "
            + "flux kvs eventlog append job.log submit && flux kvs eventlog append job.log alloc '{\"ranks\":\"0\"}' && "
            + "flux kvs eventlog append job.log finish && wait && cat out.txt && flux kvs eventlog wait-event -t 60 job.log alloc";
        var dir = NewStatedir();
        var r = await FluxProcess.RunAsync(["start", "sh", "-c", $"cd {dir}; {script}"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Contains("\"name\":\"submit\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"name\":\"alloc\",\"context\":{\"ranks\":\"0\"}", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"name\":\"finish\"", lines[2], StringComparison.Ordinal);
        Assert.EndsWith(" alloc ranks=0", lines[3], StringComparison.Ordinal);
    }
}

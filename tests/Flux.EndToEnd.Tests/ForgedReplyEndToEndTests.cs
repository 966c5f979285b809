// A guest with a uid of its own forges responses (guessed route names, small matchtags) against a
// real instance: the owner's KVS watch and running job never see them, and the broker logs them.
using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.EndToEnd.Tests;

public sealed class ForgedReplyEndToEndTests
{
    // A byte pipe run as the guest: connect, print the broker's verdict, send the frames, wait for
    // the reply to the last one (a ping), so every frame before it has been routed.
    private const string GuestPipe = """
        use IO::Socket::UNIX;
        my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $ARGV[0]) or die "connect: $!";
        sysread($s, my $v, 1) == 1 or die "no verdict";
        print ord($v), "\n";
        open(my $f, '<:raw', $ARGV[1]) or die "frames: $!";
        local $/;
        my $d = <$f>;
        my $off = 0;
        while ($off < length $d) { my $n = syswrite($s, $d, length($d) - $off, $off); defined $n or die "write: $!"; $off += $n; }
        sysread($s, my $r, 65536) > 0 or die "no reply to the final ping";
        print "done\n";
        """;

    private static readonly string[] ModuleRoutes = ["job-manager", "job-exec", "sched-simple", "kvs", "kvs-watch", "job-ingest", "job-list", "resource", "content", "broker"];

    [RootFact]
    public async Task ForgedResponses_FromAGuestUid_ReachNoOneAndAreLogged()
    {
        using var guest = TestUser.Create();
        var conf = TempDirs.Create("flux-test-conf-", "access.toml", "[access]\nallow-guest-user = true\n");
        await using var inst = await RunningInstance.StartAsync(["-c", conf]);
        Assert.Equal(0, (await inst.FluxAsync("kvs", "put", "test.a=rootvalue")).ExitCode);
        var submit = await inst.FluxAsync("submit", "sleep", "300");
        Assert.True(submit.ExitCode == 0, submit.ToString());
        var job = submit.Stdout.Trim();
        var started = await inst.FluxAsync("job", "wait-event", "-t", "60", job, "start");
        Assert.True(started.ExitCode == 0, started.ToString());

        // The owner's watch prints the value once its streaming request is in place.
        using var watch = StartFlux(inst, "kvs", "get", "--watch", "test.a");
        Assert.Equal("rootvalue", await Await.Within(watch.StandardOutput.ReadLineAsync(), "the owner's watch to print the first value"));

        var dir = TempDirs.Create("flux-test-guest-");
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        var frames = Path.Combine(dir, "frames");
        await File.WriteAllBytesAsync(frames, Forgeries(watch.Id));
        var script = Path.Combine(dir, "pipe.pl");
        await File.WriteAllTextAsync(script, GuestPipe);
        var run = await FluxProcess.RunAsync(
            ["--reuid=" + guest.Uid, "--regid=" + guest.Gid, "--clear-groups", "perl", script, inst.SocketPath, frames], exe: "setpriv");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("0\ndone\n", run.Stdout);

        Assert.Equal(0, (await inst.FluxAsync("kvs", "put", "test.a=second")).ExitCode);
        Assert.Equal("second", await Await.Within(watch.StandardOutput.ReadLineAsync(), "the owner's watch to print the value the owner put"));
        Assert.Equal("second", (await inst.FluxAsync("kvs", "get", "test.a")).Stdout.Trim());
        var events = await inst.FluxAsync("job", "eventlog", job);
        Assert.DoesNotContain("exception", events.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("finish", events.Stdout, StringComparison.Ordinal);
        var dmesg = await inst.FluxAsync("dmesg");
        Assert.Contains($"(uid {guest.Uid}) sent a response to no request it was handed", dmesg.Stdout, StringComparison.Ordinal);

        watch.Kill();
        Assert.Equal(0, (await inst.FluxAsync("cancel", job)).ExitCode);
        var (rc, stderr) = await inst.StopAsync();
        Assert.True(rc == 0, stderr);
    }

    // Error responses to every module route with matchtags 1-2000 (the job's exec and alloc streams
    // are among them), and KVS values to the owner's watch under every connection number it could
    // have; then a ping of the guest's own.
    private static byte[] Forgeries(int watcherPid)
    {
        var w = new ArrayBufferWriter<byte>();
        foreach (var route in ModuleRoutes)
        {
            for (uint tag = 1; tag <= 2000; tag++)
            {
                var m = new Message(MessageType.Response) { Topic = route + ".forged", Matchtag = tag, Routes = [route], Errnum = Errno.EIO };
                m.SetString("forged by a guest");
                MessageCodec.EncodeWithPrefix(m, w);
            }
        }
        for (var n = 1; n <= 400; n++)
        {
            for (uint tag = 1; tag <= 8; tag++)
            {
                var m = new Message(MessageType.Response) { Topic = "kvs-watch.lookup", Matchtag = tag, Routes = [$"local-{n}-{watcherPid}"] };
                m.SetJson(new JsonObject { ["val"] = new JsonObject { ["ver"] = 1, ["type"] = "val", ["data"] = Convert.ToBase64String("forged"u8) } });
                MessageCodec.EncodeWithPrefix(m, w);
            }
        }
        var ping = Message.Request("broker.ping");
        ping.Matchtag = 1;
        MessageCodec.EncodeWithPrefix(ping, w);
        return w.WrittenMemory.ToArray();
    }

    private static Process StartFlux(RunningInstance inst, params string[] args)
    {
        var psi = new ProcessStartInfo(FluxProcess.FluxExe) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["FLUX_URI"] = inst.Uri;
        return Process.Start(psi)!;
    }

    // A system user made for the test and removed after it.
    private sealed class TestUser : IDisposable
    {
        private TestUser(string name, int uid, int gid)
        {
            Name = name;
            Uid = uid;
            Gid = gid;
        }

        public string Name { get; }

        public int Uid { get; }

        public int Gid { get; }

        public static TestUser Create()
        {
            var name = $"fluxg{Environment.ProcessId % 100000}";
            Run("useradd", "--system", "--no-create-home", "--user-group", "--shell", "/usr/sbin/nologin", name);
            return new TestUser(name, Id(name, "-u"), Id(name, "-g"));
        }

        public void Dispose() => Run("userdel", Name);

        private static int Id(string name, string flag) => int.Parse(Run("id", flag, name).Trim(), CultureInfo.InvariantCulture);

        private static string Run(string exe, params string[] args)
        {
            var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            var error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"{exe} {string.Join(' ', args)}: {error}");
            return output;
        }
    }
}

// flux jobs and flux job info|eventlog|wait-event|last run as processes against a broker fed by a scripted journal.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Formats;
using Flux.Abstractions.Kvs;
using Flux.Client.Connectors;
using static Flux.JobList.Tests.Journal;

namespace Flux.JobList.Tests;

public sealed class JobsCliTests
{
    private static readonly uint Me = PeerCredentials.CurrentUid;
    private static readonly uint Other = Me == 4242 ? 4243u : 4242u;

    // flux ARGS against the instance, with ASCII job ids (FLUX_F58_FORCE_ASCII) as flux-core's tests print them.
    private static Task<FluxResult> RunFluxAsync(string uri, params string[] args) =>
        FluxProcess.RunAsync(args, env: new Dictionary<string, string> { ["FLUX_URI"] = uri, ["FLUX_F58_FORCE_ASCII"] = "1" });

    private static string F58(ulong id) => Fluid.Encode(id, FluidEncoding.F58Plain);

    private static JsonObject Finished(ulong id, double t, params JsonObject[] ending)
    {
        var e = Pending(id, t, userid: Me, command: "hostname");
        var events = (JsonArray)e["events"]!;
        foreach (var ev in ending)
        {
            events.Add(ev);
        }
        if (ending.Any(x => x["name"]!.GetValue<string>() == "alloc"))
        {
            e["R"] = R(1);
        }
        return e;
    }

    private static async Task<(TestInstance, FakeJobManager)> StartAsync()
    {
        var inst = await TestInstance.StartAsync(new InstanceOptions { Modules = [.. TestInstance.KvsModules, "job-info", "job-list"], Listen = true });
        var jm = await FakeJobManager.StartAsync(inst);
        var running = Pending(2, 200, userid: Me, command: "sleep");
        ((JsonArray)running["events"]!).Add(Ev("alloc", 201));
        running["R"] = R(2);
        await jm.SendBacklogAsync(
            Pending(1, 300, userid: Me, command: "sleep"),
            running,
            Finished(3, 100, Ev("alloc", 101), Ev("start", 101.5), Ev("finish", 102.75, new JsonObject { ["status"] = 0 }), Ev("clean", 103)),
            Finished(4, 110, Ev("exception", 111, new JsonObject { ["type"] = "cancel", ["severity"] = 0, ["note"] = "mecanceled" }), Ev("clean", 112)),
            Finished(5, 120, Ev("alloc", 121), Ev("finish", 122, new JsonObject { ["status"] = 256 }), Ev("clean", 123)),
            Pending(6, 130, userid: Other, command: "theirs"));
        return (inst, jm);
    }

    [Fact]
    public async Task FluxJobs_ListsLikeFluxCore()
    {
        var (inst, jm) = await StartAsync();
        await using var _ = inst;
        await using var __ = jm;
        var uri = inst.Broker.LocalUri;
        var user = FluxUser();
        var me = user.Length > 8 ? user[..8] : user;

        var r = await RunFluxAsync(uri, "jobs");
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("       JOBID USER     NAME       ST NTASKS NNODES     TIME INFO", lines[0]);
        Assert.Equal($"{F58(1),12} {me,-8} sleep       S      1      -        - ", lines[1]);
        Assert.StartsWith($"{F58(2),12} {me,-8} sleep       R      1      2 ", lines[2], StringComparison.Ordinal);
        Assert.EndsWith(" node[0-1]", lines[2], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);

        r = await RunFluxAsync(uri, "jobs", "-a", "-n");
        Assert.Equal(5, r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains($"{F58(3),12} {me,-8} hostname   CD      1      1   1.750s node0", r.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{F58(4),12} {me,-8} hostname   CA      1      -        - ", r.Stdout, StringComparison.Ordinal);

        r = await RunFluxAsync(uri, "jobs", "-A", "-no", "{id.dec}");
        Assert.Equal("6\n1\n2\n", r.Stdout);
        r = await RunFluxAsync(uri, "jobs", "-n", "--filter=failed,canceled", "-o", "{id.dec} {result} {exception.type:h} {returncode}");
        Assert.Equal("5 FAILED - 1\n4 CANCELED cancel -128\n", r.Stdout);
        r = await RunFluxAsync(uri, "jobs", "--stats-only");
        Assert.Equal((0, "1 running, 1 completed, 2 failed, 2 pending, 0 inactive purged\n"), (r.ExitCode, r.Stdout));
        r = await RunFluxAsync(uri, "jobs", "--json", F58(3));
        var json = JsonNode.Parse(r.Stdout)!;
        Assert.Equal(3, json["id"]!.GetValue<int>());
        Assert.Equal("COMPLETED", json["result"]!.GetValue<string>());
        r = await RunFluxAsync(uri, "jobs", "-n", "-o", "{id.dec}", Fluid.Encode(2, FluidEncoding.Dothex), "0x1", "999");
        Assert.Equal("2\n1\n", r.Stdout);
        Assert.Equal("JobID 999 unknown\n", r.Stderr);
        r = await RunFluxAsync(uri, "jobs", "--filter=bogus");
        Assert.Equal((1, "flux-jobs: Invalid filter specified: bogus\n"), (r.ExitCode, r.Stderr));
        r = await RunFluxAsync(uri, "jobs", "-o", "{footime}");
        Assert.Equal((1, "flux-jobs: Error in user format: Unknown format field: footime\n"), (r.ExitCode, r.Stderr));
    }

    private static string FluxUser()
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var f = line.Split(':');
            if (f.Length > 2 && f[2] == Me.ToString(CultureInfo.InvariantCulture))
            {
                return f[0];
            }
        }
        return Me.ToString(CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task FluxJob_EventlogInfoWaitEventAndLast()
    {
        var (inst, jm) = await StartAsync();
        await using var _ = inst;
        await using var __ = jm;
        var uri = inst.Broker.LocalUri;
        await using (var h = await inst.ConnectAsync())
        {
            var log = new EventlogEntry(100.5, "submit", new JsonObject { ["urgency"] = 16, ["userid"] = Me, ["flags"] = 0, ["version"] = 1 }).ToLine()
                + new EventlogEntry(101, "validate", null).ToLine()
                + new EventlogEntry(102, "exception", new JsonObject { ["type"] = "cancel", ["severity"] = 0, ["note"] = "" }).ToLine()
                + new EventlogEntry(103, "clean", null).ToLine();
            var key = Fluid.Encode(4, FluidEncoding.Kvs);
            await h.KvsCommitAsync(new KvsTxn().Put(key + ".eventlog", log).PutJson(key + ".jobspec", Jobspec("hostname")));
        }
        var r = await RunFluxAsync(uri, "job", "eventlog", F58(4));
        Assert.Equal(
            $"100.500000 submit urgency=16 userid={Me} flags=0 version=1\n101.000000 validate\n102.000000 exception type=\"cancel\" severity=0 note=\"\"\n103.000000 clean\n",
            r.Stdout);
        r = await RunFluxAsync(uri, "job", "eventlog", "-T", "offset", "-F", "4");
        Assert.StartsWith("0.000000 submit", r.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("2.500000 clean\n", r.Stdout, StringComparison.Ordinal);
        r = await RunFluxAsync(uri, "job", "info", F58(4), "jobspec");
        Assert.Equal("hostname", JsonNode.Parse(r.Stdout)!["tasks"]![0]!["command"]![0]!.GetValue<string>().Split('/')[^1]);
        r = await RunFluxAsync(uri, "job", "wait-event", "-m", "type=cancel", F58(4), "exception");
        Assert.Equal((0, "102.000000 exception type=\"cancel\" severity=0 note=\"\"\n"), (r.ExitCode, r.Stdout));
        r = await RunFluxAsync(uri, "job", "wait-event", F58(4), "start");
        Assert.Equal((1, "flux-job: event 'start' never received\n"), (r.ExitCode, r.Stderr));
        r = await RunFluxAsync(uri, "job", "eventlog", "999");
        Assert.Equal((1, "flux-job: job 999 not found\n"), (r.ExitCode, r.Stderr));
        r = await RunFluxAsync(uri, "job", "last");
        Assert.Equal(F58(1) + "\n", r.Stdout);
        r = await RunFluxAsync(uri, "job", "last", "[1:3]");
        Assert.Equal(F58(2) + "\n" + F58(5) + "\n", r.Stdout);
    }

    [Fact]
    public async Task FluxJob_WaitEvent_TimesOutAsFluxCore()
    {
        var (inst, jm) = await StartAsync();
        await using var _ = inst;
        await using var __ = jm;
        await using (var h = await inst.ConnectAsync())
        {
            var log = new EventlogEntry(100, "submit", new JsonObject { ["urgency"] = 16, ["userid"] = Me, ["flags"] = 0, ["version"] = 1 }).ToLine();
            await h.KvsCommitAsync(new KvsTxn().Put(Fluid.Encode(1, FluidEncoding.Kvs) + ".eventlog", log));
        }
        var r = await RunFluxAsync(inst.Broker.LocalUri, "job", "wait-event", "-t", "0.2s", F58(1), "clean");
        Assert.Equal((1, "flux-job: wait-event timeout on event 'clean'\n"), (r.ExitCode, r.Stderr));
    }
}

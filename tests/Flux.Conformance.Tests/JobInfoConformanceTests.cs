// job-info.eventlog-watch answers flux-core's client requests for a finished job as flux-core's does.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Formats;

namespace Flux.Conformance.Tests;

public sealed class JobInfoConformanceTests
{
    private static readonly string[] Modules = [.. TestInstance.KvsModules, "job-info"];

    private static string Key(string k) => Fluid.Encode(FluxCoreJobFixtures.JobId, FluidEncoding.Kvs) + "." + k;

    // The finished job's logs where flux-core's job-exec leaves them (job.ID.eventlog, job.ID.guest.*).
    private static async Task<TestInstance> StartWithFinishedJobAsync()
    {
        var inst = await TestInstance.StartAsync(Modules);
        await using var h = await inst.ConnectAsync();
        await h.KvsCommitAsync(new KvsTxn()
            .Put(Key("eventlog"), string.Concat(FluxCoreJobFixtures.Eventlog))
            .Put(Key("guest.exec.eventlog"), string.Concat(FluxCoreJobFixtures.ExecEventlog))
            .Put(Key("guest.output"), string.Concat(FluxCoreJobFixtures.Output)));
        return inst;
    }

    public static TheoryData<string> Paths() => ["eventlog", "guest.exec.eventlog", "guest.output"];

    private static string[] Expected(string path) => path switch
    {
        "eventlog" => FluxCoreJobFixtures.Eventlog,
        "guest.exec.eventlog" => FluxCoreJobFixtures.ExecEventlog,
        _ => FluxCoreJobFixtures.Output,
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task EventlogWatch_FinishedJob_SendsFluxCoresLinesThenEnds(string path)
    {
        // flux-core's request (flux_job_event_watch with flags 0), as its clients send it.
        await using var inst = await StartWithFinishedJobAsync();
        await using var h = await inst.ConnectAsync();
        var request = Message.Request("job-info.eventlog-watch", new JsonObject { ["id"] = FluxCoreJobFixtures.JobId, ["path"] = path, ["flags"] = 0 });
        var got = new List<string>();
        // StreamAsync ends on the ENODATA response: an inactive job's watch must end by itself, or
        // flux job status / submit --wait / attach of a finished job would never return.
        await Await.Within(Task.Run(async () =>
        {
            await foreach (var m in h.StreamAsync(request))
            {
                got.Add(m.GetJson()["event"]!.GetValue<string>());
            }
        }), "eventlog-watch " + path);
        Assert.Equal(Expected(path), got);
        // Each is what eventlog_entry_decode accepts: one line with its newline.
        Assert.All(got, line => Eventlog.ParseEntry(line));
    }

    [Fact]
    public async Task EventlogWatch_UnknownJob_IsEnoentAsFluxCore()
    {
        // flux-core's attach prints "No such job" on ENOENT; flux job status "ID: No such job".
        await using var inst = await TestInstance.StartAsync(Modules);
        await using var h = await inst.ConnectAsync();
        var request = Message.Request("job-info.eventlog-watch", new JsonObject { ["id"] = FluxCoreJobFixtures.JobId + 1, ["path"] = "eventlog", ["flags"] = 0 });
        var ex = await Assert.ThrowsAsync<FluxException>(() => Await.Within(Task.Run(async () =>
        {
            await foreach (var m in h.StreamAsync(request))
            {
                Assert.Fail("unexpected event " + m.GetJson().ToJsonString());
            }
        }), "eventlog-watch of an unknown job"));
        Assert.Equal(Errno.ENOENT, ex.Errnum);
    }
}

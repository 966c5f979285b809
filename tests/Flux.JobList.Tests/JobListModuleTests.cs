// job-list over an in-process broker, fed by a scripted job-manager journal: states, results, order, filters, access.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Handle;
using static Flux.JobList.Tests.Journal;

namespace Flux.JobList.Tests;

public sealed class JobListModuleTests
{
    private const int Depend = 2, Priority = 4, Sched = 8, Run = 16, Cleanup = 32, Inactive = 64;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static Task<JsonObject?> List(FluxHandle h, int states = 0, uint? userid = null, int results = 0, JsonObject? extra = null)
    {
        var req = new JsonObject
        {
            ["max_entries"] = 0,
            ["attrs"] = new JsonArray("all"),
            ["userid"] = userid is { } u ? u : -1,
            ["states"] = states,
            ["results"] = results,
        };
        foreach (var (k, v) in extra ?? [])
        {
            req[k] = v?.DeepClone();
        }
        return h.RpcAsync("job-list.list", req);
    }

    private static async Task<JsonObject> ListId(FluxHandle h, ulong id, int state = 0)
    {
        var req = new JsonObject { ["id"] = id, ["attrs"] = new JsonArray("all") };
        if (state != 0)
        {
            req["state"] = state;
        }
        var resp = await h.RpcAsync("job-list.list-id", req).WaitAsync(Timeout);
        return (JsonObject)resp!["job"]!;
    }

    private static ulong[] Ids(JsonObject? list) => [.. ((JsonArray)list!["jobs"]!).Select(j => j!["id"]!.GetValue<ulong>())];

    private static async Task<(TestInstance, FakeJobManager, FluxHandle)> StartAsync(params JsonObject[] backlog)
    {
        var inst = await TestInstance.StartAsync(["job-list"]);
        var jm = await FakeJobManager.StartAsync(inst);
        await jm.SendBacklogAsync(backlog);
        var h = await inst.ConnectAsync();
        return (inst, jm, h);
    }

    [Fact]
    public async Task Load_JobManagerAbsent_FollowsJournalOnceOnline()
    {
        await using var inst = await TestInstance.StartAsync(["job-list"]);
        await using var h = await inst.ConnectAsync();
        // Loaded before job-manager: it answers from nothing rather than hang.
        Assert.Empty(Ids(await List(h)));
        await using var jm = await FakeJobManager.StartAsync(inst);
        await jm.SendBacklogAsync(Pending(1, 100));
        var job = await ListId(h, 1, Sched);
        Assert.Equal(Sched, job["state"]!.GetValue<int>());
        Assert.Equal(new ulong[] { 1UL }, Ids(await List(h)));
    }

    [Fact]
    public async Task List_BeforeBacklogComplete_IsAnsweredAfterSentinel()
    {
        await using var inst = await TestInstance.StartAsync([]);
        await using var jm = await FakeJobManager.StartAsync(inst, online: false);
        await inst.Broker.Modules.LoadAsync("job-list", null, []);
        await using var h = await inst.ConnectAsync();
        var journal = await jm.JournalRequestedAsync();
        Assert.Equal("{}", journal.GetJson().ToJsonString());
        jm.Send(Pending(7, 100));
        var early = List(h);
        var stats = h.RpcAsync("job-list.job-stats");
        jm.Send(new JsonObject { ["id"] = -1, ["events"] = new JsonArray() });
        Assert.Equal(new ulong[] { 7UL }, Ids(await early.WaitAsync(Timeout)));
        Assert.Equal(1, (await stats.WaitAsync(Timeout))!["job_states"]!["sched"]!.GetValue<int>());
    }

    [Fact]
    public async Task Events_DriveRfc21States_AndTimestamps()
    {
        var (inst, jm, h) = await StartAsync();
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        var spec = Jobspec("hostname", ntasks: 2, nodes: 2, duration: 60);
        var submit = Entry(5, Submit(100), Ev("validate", 101));
        submit["jobspec"] = spec;
        jm.Send(submit);
        var job = await ListId(h, 5, Depend);
        Assert.Equal(Depend, job["state"]!.GetValue<int>());
        Assert.Equal(100.0, job["t_submit"]!.GetValue<double>());
        Assert.Equal(101.0, job["t_depend"]!.GetValue<double>());
        Assert.False(job.ContainsKey("priority"));
        Assert.False(job.ContainsKey("t_run"));

        jm.Send(Entry(5, Ev("depend", 102)));
        Assert.Equal(Priority, (await ListId(h, 5, Priority))["state"]!.GetValue<int>());
        jm.Send(Entry(5, Ev("priority", 103, new JsonObject { ["priority"] = 16 })));
        job = await ListId(h, 5, Sched);
        Assert.Equal(16, job["priority"]!.GetValue<long>());
        Assert.Equal(2, job["nnodes"]!.GetValue<int>());
        Assert.False(job.ContainsKey("nodelist"));

        var alloc = Entry(5, Ev("alloc", 104));
        alloc["R"] = R(2, cores: 4, expiration: 164);
        jm.Send(alloc);
        job = await ListId(h, 5, Run);
        Assert.Equal(Run, job["state"]!.GetValue<int>());
        Assert.Equal(104.0, job["t_run"]!.GetValue<double>());
        Assert.Equal("node[0-1]", job["nodelist"]!.GetValue<string>());
        Assert.Equal("[0-1]", job["ranks"]!.GetValue<string>());
        Assert.Equal(8, job["ncores"]!.GetValue<int>());
        Assert.Equal(164.0, job["expiration"]!.GetValue<double>());

        jm.Send(Entry(5, Ev("start", 105), Ev("finish", 110, new JsonObject { ["status"] = 0 })));
        job = await ListId(h, 5, Cleanup);
        Assert.Equal(110.0, job["t_cleanup"]!.GetValue<double>());
        Assert.False(job.ContainsKey("result"));

        jm.Send(Entry(5, Ev("release", 111, new JsonObject { ["ranks"] = "all", ["final"] = true }), Ev("free", 111), Ev("clean", 112)));
        job = await ListId(h, 5, Inactive);
        Assert.Equal(Inactive, job["state"]!.GetValue<int>());
        Assert.Equal(112.0, job["t_inactive"]!.GetValue<double>());
        Assert.Equal(1, job["result"]!.GetValue<int>());
        Assert.True(job["success"]!.GetValue<bool>());
        Assert.False(job["exception_occurred"]!.GetValue<bool>());
        Assert.Equal(0, job["waitstatus"]!.GetValue<int>());
        Assert.Equal(Depend | Priority | Sched | Run | Cleanup | Inactive | 1, Mask(job));
    }

    // The states the job went through, read back from which timestamps and fields are present.
    private static int Mask(JsonObject job) => 1
        | (job.ContainsKey("t_depend") ? Depend | Priority : 0)
        | (job.ContainsKey("priority") ? Sched : 0)
        | (job.ContainsKey("t_run") ? Run : 0)
        | (job.ContainsKey("t_cleanup") ? Cleanup : 0)
        | (job.ContainsKey("t_inactive") ? Inactive : 0);

    [Fact]
    public async Task Urgency_InSched_GoesBackToPriorityUntilReprioritized()
    {
        var (inst, jm, h) = await StartAsync(Pending(3, 100));
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        jm.Send(Entry(3, Ev("urgency", 120, new JsonObject { ["urgency"] = 0, ["userid"] = Owner })));
        var job = await ListId(h, 3);
        Assert.Equal(Priority, job["state"]!.GetValue<int>());
        Assert.Equal(0, job["urgency"]!.GetValue<int>());
        Assert.False(job.ContainsKey("priority"));
        jm.Send(Entry(3, Ev("priority", 121, new JsonObject { ["priority"] = 0 })));
        job = await ListId(h, 3, Sched);
        Assert.Equal(0, job["priority"]!.GetValue<long>());
    }

    public static TheoryData<string, JsonObject[], int, bool> Endings => new()
    {
        { "exit 0", [Ev("alloc", 104), Ev("start", 105), Ev("finish", 106, new JsonObject { ["status"] = 0 }), Ev("clean", 107)], 1, true },
        { "exit 1", [Ev("alloc", 104), Ev("start", 105), Ev("finish", 106, new JsonObject { ["status"] = 256 }), Ev("clean", 107)], 2, false },
        { "canceled pending", [Ev("exception", 104, new JsonObject { ["type"] = "cancel", ["severity"] = 0, ["note"] = "mecanceled", ["userid"] = Owner }), Ev("clean", 105)], 4, false },
        { "timeout", [Ev("alloc", 104), Ev("start", 105), Ev("exception", 106, new JsonObject { ["type"] = "timeout", ["severity"] = 0, ["note"] = "resource allocation expired" }), Ev("finish", 107, new JsonObject { ["status"] = 36352 }), Ev("clean", 108)], 8, false },
        { "exec failure", [Ev("alloc", 104), Ev("exception", 105, new JsonObject { ["type"] = "exec", ["severity"] = 0, ["note"] = "No such file or directory" }), Ev("finish", 106, new JsonObject { ["status"] = 32512 }), Ev("clean", 107)], 2, false },
        { "cancel raced with exit 0", [Ev("alloc", 104), Ev("start", 105), Ev("exception", 106, new JsonObject { ["type"] = "cancel", ["severity"] = 0, ["note"] = "" }), Ev("finish", 107, new JsonObject { ["status"] = 0 }), Ev("clean", 108)], 4, false },
        { "warning only", [Ev("alloc", 104), Ev("exception", 105, new JsonObject { ["type"] = "alloc", ["severity"] = 1, ["note"] = "slow" }), Ev("finish", 106, new JsonObject { ["status"] = 0 }), Ev("clean", 107)], 1, true },
    };

    [Theory]
    [MemberData(nameof(Endings))]
    public async Task Result_FollowsFluxCoreRules(string how, JsonObject[] events, int result, bool success)
    {
        var (inst, jm, h) = await StartAsync(Pending(9, 100));
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        var entry = Entry(9, [.. events.Select(e => (JsonObject)e.DeepClone())]);
        if (events.Any(e => e["name"]!.GetValue<string>() == "alloc"))
        {
            entry["R"] = R(1);
        }
        jm.Send(entry);
        var job = await ListId(h, 9, Inactive);
        Assert.True(result == job["result"]!.GetValue<int>(), $"{how}: result {job["result"]}");
        Assert.Equal(success, job["success"]!.GetValue<bool>());
        var exception = events.FirstOrDefault(e => e["name"]!.GetValue<string>() == "exception");
        Assert.Equal(exception is not null, job["exception_occurred"]!.GetValue<bool>());
        if (exception is not null)
        {
            Assert.Equal(exception["context"]!["type"]!.GetValue<string>(), job["exception_type"]!.GetValue<string>());
            Assert.Equal(exception["context"]!["severity"]!.GetValue<int>(), job["exception_severity"]!.GetValue<int>());
            Assert.Equal(exception["context"]!["note"]!.GetValue<string>(), job["exception_note"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Exception_Severity0WhilePending_MovesToCleanup()
    {
        var (inst, jm, h) = await StartAsync(Pending(4, 100));
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        jm.Send(Entry(4, Ev("exception", 130, new JsonObject { ["type"] = "cancel", ["severity"] = 0, ["note"] = "" })));
        var job = await ListId(h, 4, Cleanup);
        Assert.Equal(Cleanup, job["state"]!.GetValue<int>());
        Assert.Equal(130.0, job["t_cleanup"]!.GetValue<double>());
        Assert.False(job.ContainsKey("t_run"));
    }

    [Fact]
    public async Task List_Order_IsPendingByPriorityThenRunningThenInactiveMostRecentFirst()
    {
        static JsonObject Running(ulong id, double tRun)
        {
            var e = Pending(id, 10);
            ((JsonArray)e["events"]!).Add(Ev("alloc", tRun));
            e["R"] = R(1);
            return e;
        }
        static JsonObject Done(ulong id, double tClean)
        {
            var e = Running(id, tClean - 5);
            var evs = (JsonArray)e["events"]!;
            evs.Add(Ev("finish", tClean - 1, new JsonObject { ["status"] = 0 }));
            evs.Add(Ev("clean", tClean));
            return e;
        }
        var (inst, jm, h) = await StartAsync(
            Pending(11, 100, priority: 16), Pending(12, 99, priority: 16), Pending(13, 101, priority: 31),
            Running(21, 200), Running(22, 210),
            Done(31, 300), Done(32, 320), Done(33, 310));
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        Assert.Equal(new ulong[] { 13UL, 12, 11, 22, 21, 32, 33, 31 }, Ids(await List(h)));
        var limited = await List(h, extra: new JsonObject { ["max_entries"] = 4 });
        Assert.Equal(new ulong[] { 13UL, 12, 11, 22 }, Ids(limited));
    }

    [Fact]
    public async Task List_Filters_ByStateResultUserQueueNameAndSince()
    {
        var a = Pending(1, 100, queue: "batch", command: "sleep");
        var b = Pending(2, 101, userid: 77, queue: "debug", command: "hostname");
        var c = Pending(3, 102, command: "true");
        ((JsonArray)c["events"]!).Add(Ev("exception", 103, new JsonObject { ["type"] = "cancel", ["severity"] = 0, ["note"] = "" }));
        ((JsonArray)c["events"]!).Add(Ev("clean", 104));
        var d = Pending(4, 105, command: "false");
        foreach (var e in new[] { Ev("alloc", 106), Ev("finish", 107, new JsonObject { ["status"] = 256 }), Ev("clean", 108) })
        {
            ((JsonArray)d["events"]!).Add(e);
        }
        d["R"] = R(1);
        var (inst, jm, h) = await StartAsync(a, b, c, d);
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        Assert.Equal(new ulong[] { 1UL, 2 }, Ids(await List(h, states: Depend | Priority | Sched)));
        Assert.Equal(new ulong[] { 4UL, 3 }, Ids(await List(h, states: Inactive)));
        Assert.Equal(new ulong[] { 3UL }, Ids(await List(h, states: Inactive, results: 4)));
        Assert.Equal(new ulong[] { 4UL }, Ids(await List(h, states: Inactive, results: 2)));
        Assert.Equal(new ulong[] { 2UL }, Ids(await List(h, userid: 77)));
        Assert.Equal(new ulong[] { 1UL, 3, 4 }, Ids(await List(h, userid: Owner)).Order().ToArray());
        Assert.Equal(new ulong[] { 2UL }, Ids(await List(h, extra: new JsonObject { ["queue"] = "debug" })));
        Assert.Equal(new ulong[] { 1UL, 2 }, Ids(await List(h, extra: new JsonObject { ["queue"] = new JsonArray("debug", "batch") })));
        Assert.Equal(new ulong[] { 4UL }, Ids(await List(h, extra: new JsonObject { ["name"] = "false" })));
        // since: inactive jobs that ended after the time, plus every active job.
        Assert.Equal(new ulong[] { 1UL, 2, 4 }, Ids(await List(h, extra: new JsonObject { ["since"] = 106.0 })));
    }

    [Fact]
    public async Task Guest_SeesOnlyItsOwnJobs()
    {
        var (inst, jm, h) = await StartAsync(Pending(1, 100), Pending(2, 101, userid: 1234));
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        await using var guest = await inst.ConnectAsync(asUser: 1234);
        Assert.Equal(new ulong[] { 2UL }, Ids(await List(guest)));
        Assert.Equal(new ulong[] { 2UL }, Ids(await List(guest, userid: Owner)));
        Assert.Equal(1234, (await ListId(guest, 2))["userid"]!.GetValue<int>());
        var ex = await Assert.ThrowsAsync<FluxException>(() => ListId(guest, 1));
        Assert.Equal(Errno.EPERM, ex.Errnum);
        Assert.Equal(new ulong[] { 1UL, 2 }, Ids(await List(h)));
    }

    [Fact]
    public async Task ListId_WithState_IsHeldUntilTheJobReachesIt()
    {
        var (inst, jm, h) = await StartAsync(Pending(6, 100));
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        var waiting = ListId(h, 6, Run | Inactive);
        // A later request is answered first: the held one waits for the state, not for its turn.
        Assert.Equal(Sched, (await ListId(h, 6))["state"]!.GetValue<int>());
        Assert.False(waiting.IsCompleted);
        var alloc = Entry(6, Ev("alloc", 140));
        alloc["R"] = R(1);
        jm.Send(alloc);
        var job = await waiting.WaitAsync(Timeout);
        Assert.Equal(Run, job["state"]!.GetValue<int>());
    }

    [Fact]
    public async Task ListId_UnknownJob_IsEnoent_AndBadRequestsAreErrors()
    {
        var (inst, jm, h) = await StartAsync(Pending(1, 100));
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        var ex = await Assert.ThrowsAsync<FluxException>(() => ListId(h, 999));
        Assert.Equal(Errno.ENOENT, ex.Errnum);
        Assert.Equal("unknown job", ex.Message);
        ex = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("job-list.list", new JsonObject { ["max_entries"] = 0, ["attrs"] = new JsonArray("bogus") }));
        Assert.Equal(Errno.EINVAL, ex.Errnum);
        Assert.Equal("bogus is not a valid attribute", ex.Message);
        ex = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("job-list.list", new JsonObject { ["max_entries"] = -1, ["attrs"] = new JsonArray() }));
        Assert.Equal(Errno.EPROTO, ex.Errnum);
        var only = (JsonObject)(await h.RpcAsync("job-list.list-id", new JsonObject { ["id"] = 1, ["attrs"] = new JsonArray("state") }))!["job"]!;
        Assert.Equal(["id", "state"], only.Select(kv => kv.Key));
    }

    [Fact]
    public async Task Disconnect_DropsTheClientsHeldRequests()
    {
        var (inst, jm, h) = await StartAsync(Pending(8, 100));
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        var client = await inst.ConnectAsync();
        var held = ListId(client, 8, Inactive);
        await ListId(client, 8);
        await client.DisposeAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => held);
        // After the disconnect, finishing the job answers nobody: job-list sends exactly the two
        // responses asked for here (the stats below and the list-id), nothing to the departed client.
        var before = (await h.RpcAsync("job-list.stats-get"))!["response.tx"]!.GetValue<long>();
        var done = Entry(8, Ev("exception", 150, new JsonObject { ["type"] = "cancel", ["severity"] = 0, ["note"] = "" }), Ev("clean", 151));
        jm.Send(done);
        await ListId(h, 8, Inactive);
        var after = (await h.RpcAsync("job-list.stats-get"))!["response.tx"]!.GetValue<long>();
        Assert.Equal(2, after - before);
    }

    [Fact]
    public async Task JobStats_CountsStatesResultsQueuesAndPurges()
    {
        var done = Pending(3, 102, queue: "batch");
        ((JsonArray)done["events"]!).Add(Ev("exception", 103, new JsonObject { ["type"] = "cancel", ["severity"] = 0, ["note"] = "" }));
        ((JsonArray)done["events"]!).Add(Ev("clean", 104));
        var (inst, jm, h) = await StartAsync(Pending(1, 100, queue: "batch"), Pending(2, 101), done);
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        var stats = (await h.RpcAsync("job-list.job-stats"))!;
        Assert.Equal(2, stats["job_states"]!["sched"]!.GetValue<int>());
        Assert.Equal(1, stats["job_states"]!["inactive"]!.GetValue<int>());
        Assert.Equal(3, stats["job_states"]!["total"]!.GetValue<int>());
        Assert.Equal(1, stats["canceled"]!.GetValue<int>());
        Assert.Equal(0, stats["failed"]!.GetValue<int>());
        var batch = ((JsonArray)stats["queues"]!).Single(q => q!["name"]!.GetValue<string>() == "batch")!;
        Assert.Equal(1, batch["job_states"]!["sched"]!.GetValue<int>());
        Assert.Equal(1, batch["canceled"]!.GetValue<int>());

        jm.Purge(3);
        stats = (await h.RpcAsync("job-list.job-stats"))!;
        Assert.Equal(0, stats["job_states"]!["inactive"]!.GetValue<int>());
        Assert.Equal(1, stats["inactive_purged"]!.GetValue<int>());
        batch = ((JsonArray)stats["queues"]!).Single(q => q!["name"]!.GetValue<string>() == "batch")!;
        Assert.Equal(1, batch["inactive_purged"]!.GetValue<int>());
        var ex = await Assert.ThrowsAsync<FluxException>(() => ListId(h, 3));
        Assert.Equal(Errno.ENOENT, ex.Errnum);
    }

    [Fact]
    public async Task JobManagerRestart_KeepsServingOldJobsUntilNewBacklogIsComplete()
    {
        var (inst, jm, h) = await StartAsync(Pending(1, 100), Pending(2, 101));
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        jm.EndJournal();
        Assert.Equal(new ulong[] { 1UL, 2 }, Ids(await List(h)));
        await jm.PublishOnlineAsync();
        await jm.JournalRequestedAsync();
        jm.Send(Pending(2, 101));
        jm.Send(Pending(3, 102));
        Assert.Equal(new ulong[] { 1UL, 2 }, Ids(await List(h)));
        jm.Send(new JsonObject { ["id"] = -1, ["events"] = new JsonArray() });
        Assert.Equal(new ulong[] { 2UL, 3 }, Ids(await List(h)));
        // Live events now go to the new records.
        jm.Send(Entry(3, Ev("exception", 110, new JsonObject { ["type"] = "cancel", ["severity"] = 0, ["note"] = "" }), Ev("clean", 111)));
        Assert.Equal(Inactive, (await ListId(h, 3, Inactive))["state"]!.GetValue<int>());
    }

    [Fact]
    public async Task JobManagerRestart_WithoutAWaitedJob_AnswersItsWaitersEnoent()
    {
        var (inst, jm, h) = await StartAsync(Pending(1, 100), Pending(2, 101));
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        var waiting = ListId(h, 2, Inactive);
        jm.EndJournal();
        await jm.PublishOnlineAsync();
        await jm.SendBacklogAsync(Pending(1, 100));
        var ex = await Assert.ThrowsAsync<FluxException>(() => waiting.WaitAsync(Timeout));
        Assert.Equal(Errno.ENOENT, ex.Errnum);
    }

    [Fact]
    public async Task Jobspec_Annotations_AndDependencies_AreListed()
    {
        var e = Entry(1, Submit(100), Ev("validate", 100.5),
            Ev("dependency-add", 100.6, new JsonObject { ["description"] = "afterok:ƒ2" }),
            Ev("dependency-add", 100.7, new JsonObject { ["description"] = "begin-time=200.0" }));
        e["jobspec"] = Jobspec("/bin/../bin/hostname", ntasks: 4, queue: "batch", duration: 300);
        var named = Pending(2, 101);
        named["jobspec"] = Jobspec("sleep", name: "myjob");
        var (inst, jm, h) = await StartAsync(e, named);
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        var job = await ListId(h, 1, Depend);
        Assert.Equal("hostname", job["name"]!.GetValue<string>());
        Assert.Equal("batch", job["queue"]!.GetValue<string>());
        Assert.Equal("/tmp", job["cwd"]!.GetValue<string>());
        Assert.Equal(4, job["ntasks"]!.GetValue<int>());
        Assert.Equal(4, job["ncores"]!.GetValue<int>());
        Assert.Equal(300.0, job["duration"]!.GetValue<double>());
        Assert.False(job.ContainsKey("nnodes"));
        Assert.Equal(["afterok:ƒ2", "begin-time=200.0"], ((JsonArray)job["dependencies"]!).Select(d => d!.GetValue<string>()));
        Assert.Equal("myjob", (await ListId(h, 2))["name"]!.GetValue<string>());

        jm.Send(Entry(1, Ev("dependency-remove", 102, new JsonObject { ["description"] = "afterok:ƒ2" }),
            Ev("memo", 103, new JsonObject { ["uri"] = "local:///tmp/x", ["tag"] = "a" }),
            Ev("annotations", 104, new JsonObject { ["annotations"] = new JsonObject { ["sched"] = new JsonObject { ["reason_pending"] = "insufficient resources" } } }),
            Ev("jobspec-update", 105, new JsonObject { ["attributes.system.duration"] = 600.0 })));
        jm.Send(Entry(1, Ev("depend", 106)));
        job = await ListId(h, 1, Priority);
        Assert.Equal(["begin-time=200.0"], ((JsonArray)job["dependencies"]!).Select(d => d!.GetValue<string>()));
        Assert.Equal("insufficient resources", job["annotations"]!["sched"]!["reason_pending"]!.GetValue<string>());
        Assert.Equal(600.0, job["duration"]!.GetValue<double>());

        jm.Send(Entry(1, Ev("memo", 107, new JsonObject { ["tag"] = null }), Ev("annotations", 108, new JsonObject { ["annotations"] = null })));
        jm.Send(Entry(1, Ev("priority", 109, new JsonObject { ["priority"] = 5 })));
        job = await ListId(h, 1, Sched);
        Assert.False(job.ContainsKey("annotations"));
    }

    [Fact]
    public async Task Invalidate_ForgetsTheJob()
    {
        var (inst, jm, h) = await StartAsync();
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        var e = Entry(1, Submit(100));
        e["jobspec"] = Jobspec();
        jm.Send(e);
        jm.Send(Entry(1, Ev("invalidate", 101)));
        var ex = await Assert.ThrowsAsync<FluxException>(() => ListId(h, 1));
        Assert.Equal(Errno.ENOENT, ex.Errnum);
        Assert.Equal(0, (await h.RpcAsync("job-list.job-stats"))!["job_states"]!["total"]!.GetValue<int>());
    }
}

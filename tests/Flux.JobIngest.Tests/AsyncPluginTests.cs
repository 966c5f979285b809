// Asynchronous plugin handlers: job-ingest awaits them without holding its loop, keeps a sender's order; job-manager refuses them.
using System.Threading.Channels;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Client.Connectors;
using Flux.Client.Handle;
using Flux.Formats;

namespace Flux.JobIngest.Tests;

public sealed class AsyncPluginTests
{
    private static string AsyncPlugins => Repo.TestPlugin("AsyncHandlerPlugin");

    private static async Task<(TestInstance Inst, FakeJobManager Jm, FluxHandle H)> StartAsync(string config)
    {
        var inst = await TestInstance.StartAsync(new InstanceOptions { Modules = [.. TestInstance.KvsModules, "job-ingest"], Config = config });
        try
        {
            var jm = await FakeJobManager.StartAsync(inst);
            return (inst, jm, await inst.ConnectAsync());
        }
        catch
        {
            await inst.DisposeAsync();
            throw;
        }
    }

    /// <summary>A feasibility service the test answers by hand: every feasibility.check is queued until the test responds.</summary>
    private static async Task<(FluxHandle H, Channel<Message> Checks)> HeldFeasibilityAsync(TestInstance inst)
    {
        var h = await inst.ConnectAsync();
        var checks = Channel.CreateUnbounded<Message>();
        h.RegisterHandler(MessageType.Request, "feasibility.check", m =>
        {
            checks.Writer.TryWrite(m);
            return ValueTask.CompletedTask;
        });
        await h.AddServiceAsync("feasibility");
        return (h, checks);
    }

    [Fact]
    public async Task Feasibility_SchedulerHoldsAnswer_OtherSubmissionsServedMeanwhile()
    {
        var (inst, jm, h) = await StartAsync("[ingest.validator]\nplugins = [\"jobspec\", \"feasibility\"]\n");
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        var (sched, checks) = await HeldFeasibilityAsync(inst);
        await using var ____ = sched;
        await using var other = await inst.ConnectAsync();
        var waiting = JobClient.SubmitAsync(h, JobClient.Job());
        var check = await Await.Within(checks.Reader.ReadAsync().AsTask(), "feasibility.check of the first job");
        // While the first job waits for the scheduler, job-ingest takes and answers another client's submission.
        var served = await Await.Within(JobClient.SubmitAsync(other, JobClient.Job(), flags: (int)SubmitFlags.NoValidate), "a novalidate submission while another waits");
        Assert.False(waiting.IsCompleted);
        sched.Respond(check, new JsonObject());
        var first = await Await.Within(waiting, "the first job once the scheduler answered");
        Assert.True(first > served, "the waiting job gets its id when it is accepted");
        Assert.Equal(2, jm.Submits.Sum(b => b.Count));
    }

    [Fact]
    public async Task Feasibility_AnswersOutOfOrder_SenderJobsKeepTheirOrder()
    {
        var (inst, jm, h) = await StartAsync("[ingest.validator]\nplugins = [\"feasibility\"]\n");
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        var (sched, checks) = await HeldFeasibilityAsync(inst);
        await using var ____ = sched;
        var a = JobClient.SubmitAsync(h, JobClient.Job());
        var first = await Await.Within(checks.Reader.ReadAsync().AsTask(), "feasibility.check of job A");
        // B's jobspec differs from A's: identical ones in flight would share A's question.
        var b = JobClient.SubmitAsync(h, JobClient.Job(0.5));
        var second = await Await.Within(checks.Reader.ReadAsync().AsTask(), "feasibility.check of job B");
        sched.Respond(second, new JsonObject());
        sched.Respond(first, new JsonObject());
        var ids = await Await.Within(Task.WhenAll(a, b), "both jobs accepted");
        Assert.True(ids[0] < ids[1], $"A (sent first) has the smaller id: {ids[0]} < {ids[1]}");
    }

    [Fact]
    public async Task Feasibility_IdenticalJobsInFlight_ShareOneCheck()
    {
        var (inst, jm, h) = await StartAsync("[ingest.validator]\nplugins = [\"feasibility\"]\n");
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        var (sched, checks) = await HeldFeasibilityAsync(inst);
        await using var ____ = sched;
        var same = new[] { JobClient.SubmitAsync(h, JobClient.Job()), JobClient.SubmitAsync(h, JobClient.Job()), JobClient.SubmitAsync(h, JobClient.Job()) };
        // Sent after the three on the same connection: when its check arrives, job-ingest has taken theirs.
        var other = JobClient.SubmitAsync(h, JobClient.Job(0.5));
        var first = await Await.Within(checks.Reader.ReadAsync().AsTask(), "feasibility.check of the three identical jobs");
        var second = await Await.Within(checks.Reader.ReadAsync().AsTask(), "feasibility.check of the different job");
        // The identical jobs sent one feasibility.check between them: there is no third.
        Assert.Null(checks.Reader.TryRead(out var third) ? third : null);
        sched.Respond(first, new JsonObject());
        sched.Respond(second, new JsonObject());
        await Await.Within(Task.WhenAll([.. same, other]), "the four jobs accepted");
        // Answered, the question is forgotten: the next identical job asks again.
        var later = JobClient.SubmitAsync(h, JobClient.Job());
        sched.Respond(await Await.Within(checks.Reader.ReadAsync().AsTask(), "feasibility.check of a later identical job"), new JsonObject());
        await Await.Within(later, "the later job accepted");
        Assert.Equal(5, jm.Submits.Sum(x => x.Count));
    }

    [Fact]
    public async Task RepeatedJ_GoesOnlyToTheValidatorsWhoseAnswerMayChange_AndIsStoredAsTheFirst()
    {
        var (inst, jm, h) = await StartAsync(
            $"[policy.jobspec.defaults.system]\nduration = \"1h\"\n[ingest.validator]\nplugins = [\"jobspec\", \"feasibility\", \"{AsyncPlugins}\"]\n");
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        var (sched, checks) = await HeldFeasibilityAsync(inst);
        await using var ____ = sched;
        // The same signed J each time, as flux submit --cc sends it.
        var j = SignedJob.Wrap(JobClient.Job().SetAttr("system.test-modify", 1).Build().ToJsonString(), PeerCredentials.CurrentUid);
        Task<JsonObject?> Submit() => h.RpcAsync("job-ingest.submit", new JsonObject { ["J"] = j, ["urgency"] = 16, ["flags"] = 0 });
        var asked = new List<string>();
        var ids = new List<ulong>();
        for (var n = 0; n < 3; n++)
        {
            var submitted = Submit();
            // Each repeat still asks the scheduler, with the jobspec as the frobnicators left the first.
            var check = await Await.Within(checks.Reader.ReadAsync().AsTask(), $"feasibility.check of submission {n + 1}");
            asked.Add(check.GetJson()["jobspec"]!.ToJsonString());
            sched.Respond(check, new JsonObject());
            ids.Add((await Await.Within(submitted, $"submission {n + 1} accepted"))!["id"]!.GetValue<ulong>());
        }
        Assert.Single(asked.Distinct());
        Assert.Equal(3600, JsonNode.Parse(asked[0])!["attributes"]!["system"]!["duration"]!.GetValue<double>());
        var stored = new List<string>();
        foreach (var id in ids)
        {
            stored.Add((await h.KvsGetStringAsync(Fluid.Encode(id, FluidEncoding.Kvs) + ".jobspec"))!);
        }
        Assert.Single(stored.Distinct());
        var system = JsonNode.Parse(stored[0])!["attributes"]!["system"]!;
        Assert.Equal(3600, system["duration"]!.GetValue<double>());
        // The async validator changed the jobspec it was given: a validator accepts or refuses, it does not change what is stored.
        Assert.Null(system["project"]);
        // A repeat the scheduler refuses is refused, as the first would be.
        var refused = Assert.ThrowsAsync<FluxException>(Submit);
        sched.RespondError(await Await.Within(checks.Reader.ReadAsync().AsTask(), "feasibility.check of the fourth submission"), Errno.EINVAL, "Unsatisfiable request");
        Assert.Equal("Unsatisfiable request", (await Await.Within(refused, "the refusal")).Message);
        Assert.Equal(3, jm.Submits.Sum(b => b.Count));
    }

    [Fact]
    public async Task Feasibility_SchedulerRefuses_SubmitterSeesItsMessage()
    {
        var (inst, jm, h) = await StartAsync("[ingest.validator]\nplugins = [\"feasibility\"]\n");
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        var (sched, checks) = await HeldFeasibilityAsync(inst);
        await using var ____ = sched;
        var refused = Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(h, JobClient.Job().Nodes(300)));
        sched.RespondError(await Await.Within(checks.Reader.ReadAsync().AsTask(), "feasibility.check"), Errno.EINVAL, "Unsatisfiable request");
        var ex = await Await.Within(refused, "the refusal");
        Assert.Equal((Errno.EINVAL, "Unsatisfiable request"), (ex.Errnum, ex.Message));
        Assert.Empty(jm.Submits);
    }

    [Fact]
    public async Task AsyncPlugins_FrobnicatorThenValidator_AwaitedInOrder_FaultNamesPlugin()
    {
        var (inst, jm, h) = await StartAsync(
            $"[ingest.frobnicator]\nplugins = [\"{AsyncPlugins}\"]\n[ingest.validator]\nplugins = [\"jobspec\", \"{AsyncPlugins}\"]\n");
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        var id = await JobClient.SubmitAsync(h, JobClient.Job());
        var stored = JsonNode.Parse((await h.KvsGetStringAsync(Fluid.Encode(id, FluidEncoding.Kvs) + ".jobspec"))!)!;
        Assert.Equal("async", stored["attributes"]!["system"]!["project"]!.GetValue<string>());
        var rejected = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(h, JobClient.Job().SetAttr("system.test-reject", "no bank given")));
        Assert.Equal((Errno.EINVAL, "no bank given"), (rejected.Errnum, rejected.Message));
        var fault = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(h, JobClient.Job().SetAttr("system.test-throw", 1)));
        Assert.Equal("validator plugin async-validator failed: thrown after waiting", fault.Message);
        Assert.Contains("validator plugin async-validator failed at job.validate", inst.Dmesg(), StringComparison.Ordinal);
        await JobClient.SubmitAsync(h, JobClient.Job());
    }

    [Fact]
    public async Task Jobtap_AsyncHandler_LoadRefusedNamingPluginAndBackground()
    {
        await using var inst = await TestInstance.StartAsync(new InstanceOptions { Modules = [.. TestInstance.KvsModules, "job-manager"] });
        await using var h = await inst.ConnectAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("job-manager.jobtap", new JsonObject { ["load"] = AsyncPlugins, ["conf"] = new JsonObject() }));
        Assert.Equal(Errno.EOPNOTSUPP, ex.Errnum);
        Assert.Contains("jobtap plugin async-jobtap: job.validate: jobtap handlers are synchronous", ex.Message, StringComparison.Ordinal);
        Assert.Contains("IFlux.Background", ex.Message, StringComparison.Ordinal);
        var listed = (await h.RpcAsync("job-manager.jobtap", new JsonObject { ["query_only"] = true }))!["plugins"]!.AsArray();
        Assert.DoesNotContain(listed, p => p!.GetValue<string>() == "async-jobtap");
    }
}

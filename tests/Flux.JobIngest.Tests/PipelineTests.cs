// job-ingest's plugin pipeline in a running instance: the builtin validators and frobnicators, their order, reload, faults.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Client.Handle;
using Flux.Formats;

namespace Flux.JobIngest.Tests;

public sealed class PipelineTests : IDisposable
{
    private const string RequireInstanceMessage =
        "Direct job submission is disabled for this instance. Please use the flux-batch(1) or flux-alloc(1) commands.";

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

    private static async Task<JsonNode> StoredJobspecAsync(FluxHandle h, ulong id) =>
        JsonNode.Parse((await h.KvsGetStringAsync(Fluid.Encode(id, FluidEncoding.Kvs) + ".jobspec"))!)!;

    // The schema files of this test, removed when it is done.
    private readonly string _dir = Directory.CreateTempSubdirectory("flux-test-schema-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string SchemaFile(string schema)
    {
        var path = Path.Combine(_dir, "schema.json");
        File.WriteAllText(path, schema);
        return path;
    }

    [Fact]
    public async Task RequireInstance_PlainJob_RejectedWithGuideMessage_BatchAndFluxStartAccepted()
    {
        var (inst, jm, h) = await StartAsync("[ingest.validator]\nplugins = [\"jobspec\", \"require-instance\"]\n");
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        var ex = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(h, JobClient.Job()));
        Assert.Equal((Errno.EINVAL, RequireInstanceMessage), (ex.Errnum, ex.Message));
        await JobClient.SubmitAsync(h, JobClient.Job().SetAttr("system.batch", new JsonObject { ["script"] = "#!/bin/sh\n" }));
        await JobClient.SubmitAsync(h, new JobspecBuilder(["/usr/bin/flux", "start", "true"]));
        Assert.Equal(2, jm.Submits.Sum(b => b.Count));
    }

    [Fact]
    public async Task RequireInstance_MinNodesFromArgs_SmallJobAcceptedBigRejected()
    {
        var (inst, jm, h) = await StartAsync("[ingest.validator]\nplugins = [\"require-instance\"]\nargs = [\"--require-instance-minnodes=2\"]\n");
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        await JobClient.SubmitAsync(h, JobClient.Job().Nodes(1));
        var ex = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(h, JobClient.Job().Nodes(2)));
        Assert.StartsWith("Direct job submission is disabled for jobs >= 2 nodes or 32 cores", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobspec_RequireVersionTooHigh_InstanceRefusesToStart()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync("[ingest.validator]\nargs = [\"--require-version=2\"]\n"));
        Assert.Contains("validator plugin jobspec: Required jobspec version too high: 2 is > 1", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feasibility_NoSchedulerLoaded_JobAccepted()
    {
        var (inst, jm, h) = await StartAsync("[ingest.validator]\nplugins = [\"jobspec\", \"feasibility\"]\n");
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        await JobClient.SubmitAsync(h, JobClient.Job());
        Assert.Single(Assert.Single(jm.Submits));
    }

    [Fact]
    public async Task Schema_JobspecViolatesSchema_RejectedWithPath()
    {
        var schema = SchemaFile("""
            {"type": "object", "required": ["attributes"],
             "properties": {"attributes": {"$ref": "#/definitions/attrs"}},
             "definitions": {"attrs": {"type": "object", "required": ["system"],
               "properties": {"system": {"type": "object", "required": ["duration"],
                 "properties": {"duration": {"type": "number", "minimum": 1}}}}}}}
            """);
        var (inst, jm, h) = await StartAsync($"[ingest.validator]\nplugins = [\"schema\"]\nargs = [\"--schema={schema}\"]\n");
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        var ex = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(h, JobClient.Job().Duration(0)));
        Assert.Equal("jobspec.attributes.system.duration: must be >= 1", ex.Message);
        await JobClient.SubmitAsync(h, JobClient.Job().Duration(60));
    }

    [Fact]
    public async Task Pipeline_DefaultsThenLimitsThenValidators_ValidatorSeesFrobnicatedJobspec()
    {
        // The schema requires a duration the job does not give: only the defaults frobnicator, run first, supplies it.
        var schema = SchemaFile("""{"properties": {"attributes": {"properties": {"system": {"required": ["duration"]}}}}}""");
        var (inst, jm, h) = await StartAsync($"""
            [policy.jobspec.defaults.system]
            duration = "10m"
            queue = "batch"
            [policy.limits]
            duration = "1h"
            [queues.batch]
            requires = ["compute"]
            [queues.debug]
            requires = ["debug"]
            policy.limits.duration = "5m"
            [ingest.validator]
            plugins = ["jobspec", "schema"]
            args = ["--schema={schema}"]
            """);
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        var id = await JobClient.SubmitAsync(h, JobClient.Job());
        var sys = (await StoredJobspecAsync(h, id))["attributes"]!["system"]!;
        Assert.Equal(600, sys["duration"]!.GetValue<double>());
        Assert.Equal("batch", sys["queue"]!.GetValue<string>());
        Assert.Equal("""{"properties":["compute"]}""", sys["constraints"]!.ToJsonString());
        // The default duration (10m) is over the debug queue's own limit: limits see the defaults.
        var ex = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(h, JobClient.Job().Queue("debug")));
        Assert.Equal("requested duration exceeds policy limit of 5m", ex.Message);
    }

    [Fact]
    public async Task Constraints_ExistingConstraint_JoinedWithAnd()
    {
        var (inst, jm, h) = await StartAsync("[queues.batch]\nrequires = [\"compute\"]\n");
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        var id = await JobClient.SubmitAsync(h, JobClient.Job().Queue("batch").SetAttr("system.constraints", new JsonObject { ["hostlist"] = new JsonArray("n[1-2]") }));
        Assert.Equal("""{"and":[{"hostlist":["n[1-2]"]},{"properties":["compute"]}]}""", (await StoredJobspecAsync(h, id))["attributes"]!["system"]!["constraints"]!.ToJsonString());
    }

    [Fact]
    public async Task Frobnicator_Disabled_NoDefaultsApplied()
    {
        var (inst, jm, h) = await StartAsync("[policy.jobspec.defaults.system]\nduration = \"10m\"\n[ingest.frobnicator]\ndisable = true\n");
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        var id = await JobClient.SubmitAsync(h, JobClient.Job());
        Assert.Equal(0, (await StoredJobspecAsync(h, id))["attributes"]!["system"]!["duration"]!.GetValue<double>());
    }

    [Fact]
    public async Task Plugin_ThrowsAtValidate_SubmissionErrorNamesIt_ModuleKeepsRunning()
    {
        // A pattern that is not a regular expression makes the schema validator throw when it checks a string.
        var schema = SchemaFile("""{"properties": {"tasks": {"items": {"properties": {"slot": {"pattern": "(["}}}}}}""");
        var (inst, jm, h) = await StartAsync($"[ingest.validator]\nplugins = [\"schema\"]\nargs = [\"--schema={schema}\"]\n");
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        var ex = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(h, JobClient.Job()));
        Assert.StartsWith("validator plugin schema failed: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("validator plugin schema failed at job.validate", inst.Dmesg(), StringComparison.Ordinal);
        await File.WriteAllTextAsync(schema, "{}");
        await h.RpcAsync("config.reload");
        await JobClient.SubmitAsync(h, JobClient.Job());
    }

    [Fact]
    public async Task ConfigReload_UnknownPlugin_FailsNamingIt_OldSetStays()
    {
        var (inst, jm, h) = await StartAsync("[ingest.validator]\nplugins = [\"jobspec\", \"require-instance\"]\n");
        await using var _ = inst;
        await using var __ = jm;
        await using var ___ = h;
        await File.WriteAllTextAsync(Path.Combine(inst.ConfigDir!, "more.toml"), "[ingest.frobnicator]\nplugins = [\"no-such-frob\"]\n");
        var ex = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("config.reload"));
        Assert.Contains("[ingest.frobnicator] plugin no-such-frob: no-such-frob: No such plugin found", ex.Message, StringComparison.Ordinal);
        var still = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(h, JobClient.Job()));
        Assert.Equal(RequireInstanceMessage, still.Message);
    }
}

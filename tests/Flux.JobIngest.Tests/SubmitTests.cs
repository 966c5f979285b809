// job-ingest's submit RPC on the real KVS, with a fake job manager: validation, access, urgency, batching, policy.
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Client.Connectors;
using Flux.Core.Connectors;
using Flux.Client.Handle;
using Flux.Formats;

namespace Flux.JobIngest.Tests;

public sealed class SubmitTests
{
    private const uint Guest = 4242;

    private static async Task<(TestInstance, FakeJobManager)> StartAsync(string? config = null)
    {
        var inst = await TestInstance.StartAsync(new InstanceOptions { Modules = [.. TestInstance.KvsModules, "job-ingest"], Config = config });
        try
        {
            return (inst, await FakeJobManager.StartAsync(inst));
        }
        catch
        {
            await inst.DisposeAsync();
            throw;
        }
    }

    private static Task<JsonObject?> Submit(FluxHandle h, JsonNode jobspec, uint signer, int urgency = 16, int flags = 0) =>
        h.RpcAsync("job-ingest.submit", new JsonObject { ["J"] = SignedJob.Wrap(jobspec.ToJsonString(), signer), ["urgency"] = urgency, ["flags"] = flags });

    private static async Task<EventlogEntry> SubmitEventAsync(FluxHandle h, ulong id) =>
        Eventlog.Parse((await h.KvsGetStringAsync(Fluid.Encode(id, FluidEncoding.Kvs) + ".eventlog"))!)[0];

    [Fact]
    public async Task Jobspec_Invalid_RejectedWithPath()
    {
        var (inst, jm) = await StartAsync();
        await using var _ = inst;
        await using var __ = jm;
        await using var h = await inst.ConnectAsync();
        var bad = new JsonObject { ["version"] = 1, ["resources"] = new JsonArray(), ["tasks"] = new JsonArray(), ["attributes"] = new JsonObject { ["system"] = new JsonObject { ["duration"] = 0 } } };
        var j = SignedJob.Wrap(bad.ToJsonString(), PeerCredentials.CurrentUid);
        var ex = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("job-ingest.submit", new JsonObject { ["J"] = j }));
        Assert.Equal(Errno.EINVAL, ex.Errnum);
        Assert.Contains("resources", ex.Message, StringComparison.Ordinal);
        Assert.Empty(jm.Submits);
    }

    [Fact]
    public async Task Submit_MalformedRequestOrFlags_RefusedSayingWhy()
    {
        var (inst, jm) = await StartAsync();
        await using var _ = inst;
        await using var __ = jm;
        await using var h = await inst.ConnectAsync();
        var noJ = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("job-ingest.submit", new JsonObject { ["urgency"] = 16 }));
        Assert.Equal((Errno.EPROTO, "missing J"), (noJ.Errnum, noJ.Message));
        var badJ = await Assert.ThrowsAsync<FluxException>(() => h.RpcAsync("job-ingest.submit", new JsonObject { ["J"] = "not-a-signed-job" }));
        Assert.Equal((Errno.EINVAL, "J: expected HEADER.PAYLOAD.SIGNATURE"), (badJ.Errnum, badJ.Message));
        var flags = await Assert.ThrowsAsync<FluxException>(() => Submit(h, JobClient.Job().Build(), PeerCredentials.CurrentUid, flags: 16 | 2));
        Assert.Equal((Errno.EPROTO, "unknown submit flags 0x12"), (flags.Errnum, flags.Message));
        Assert.Empty(jm.Submits);
    }

    [Fact]
    public async Task Submit_GuestWithOwnerOnlyFlags_EpermSayingSo()
    {
        var (inst, jm) = await StartAsync();
        await using var _ = inst;
        await using var __ = jm;
        await using var owner = await inst.ConnectAsync();
        await using var guest = await inst.ConnectAsync(asUser: Guest);
        foreach (var flag in new[] { (int)SubmitFlags.Waitable, (int)SubmitFlags.NoValidate })
        {
            var ex = await Assert.ThrowsAsync<FluxException>(() => Submit(guest, JobClient.Job().Build(), Guest, flags: flag));
            Assert.Equal(Errno.EPERM, ex.Errnum);
            Assert.Equal("only the instance owner may submit with the waitable or novalidate flags", ex.Message);
        }
        var debug = (await Submit(guest, JobClient.Job().Build(), Guest, flags: (int)SubmitFlags.Debug))!["id"]!.GetValue<ulong>();
        var submit = await SubmitEventAsync(owner, debug);
        Assert.Equal(Guest, submit.Context!["userid"]!.GetValue<uint>());
        Assert.Equal((int)SubmitFlags.Debug, submit.Context["flags"]!.GetValue<int>());
    }

    [Fact]
    public async Task Submit_NoValidateAsOwner_InvalidJobspecAccepted()
    {
        var (inst, jm) = await StartAsync();
        await using var _ = inst;
        await using var __ = jm;
        await using var h = await inst.ConnectAsync();
        var bad = new JsonObject { ["version"] = 1, ["resources"] = new JsonArray(), ["tasks"] = new JsonArray(), ["attributes"] = new JsonObject { ["system"] = new JsonObject() } };
        var id = (await Submit(h, bad, PeerCredentials.CurrentUid, flags: (int)SubmitFlags.NoValidate))!["id"]!.GetValue<ulong>();
        var stored = JsonNode.Parse((await h.KvsGetStringAsync(Fluid.Encode(id, FluidEncoding.Kvs) + ".jobspec"))!)!;
        Assert.Empty(stored["resources"]!.AsArray());
        Assert.Equal(id, Assert.Single(Assert.Single(jm.Submits))!["id"]!.GetValue<ulong>());
    }

    [Fact]
    public async Task Submit_Urgency_RangeAndGuestLimit()
    {
        var (inst, jm) = await StartAsync();
        await using var _ = inst;
        await using var __ = jm;
        await using var owner = await inst.ConnectAsync();
        await using var guest = await inst.ConnectAsync(asUser: Guest);
        foreach (var urgency in new[] { -1, 32 })
        {
            var ex = await Assert.ThrowsAsync<FluxException>(() => Submit(owner, JobClient.Job().Build(), PeerCredentials.CurrentUid, urgency));
            Assert.Equal((Errno.EINVAL, $"urgency must be from 0 to 31, got {urgency}"), (ex.Errnum, ex.Message));
        }
        var expedite = await Assert.ThrowsAsync<FluxException>(() => Submit(guest, JobClient.Job().Build(), Guest, 17));
        Assert.Equal((Errno.EPERM, "guests may only submit with urgency from 0 to 16"), (expedite.Errnum, expedite.Message));
        foreach (var (h, signer, urgency) in new[] { (owner, PeerCredentials.CurrentUid, 0), (owner, PeerCredentials.CurrentUid, 31), (guest, Guest, 16) })
        {
            var id = (await Submit(h, JobClient.Job().Build(), signer, urgency))!["id"]!.GetValue<ulong>();
            Assert.Equal(urgency, (await SubmitEventAsync(owner, id)).Context!["urgency"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task Submit_ManyAtOnce_UniqueIdsEachCommittedAndSentOnce()
    {
        const int N = 300;
        var (inst, jm) = await StartAsync();
        await using var _ = inst;
        await using var __ = jm;
        await using var h = await inst.ConnectAsync();
        var jobspec = JobClient.Job().Build();
        var ids = (await Await.Within(Task.WhenAll(Enumerable.Range(0, N).Select(_ => Submit(h, jobspec, PeerCredentials.CurrentUid))), $"{N} submissions"))
            .Select(r => r!["id"]!.GetValue<ulong>()).ToList();
        Assert.Equal(N, ids.Distinct().Count());
        // Every job reaches the job manager exactly once, in batches of at most 128 (one KVS commit each).
        Assert.All(jm.Submits, batch => Assert.InRange(batch.Count, 1, 128));
        Assert.Equal(ids.Order(), jm.Submits.SelectMany(b => b).Select(j => j!["id"]!.GetValue<ulong>()).Order());
        var missing = new ConcurrentBag<ulong>();
        await Task.WhenAll(ids.Select(async id =>
        {
            var key = Fluid.Encode(id, FluidEncoding.Kvs);
            if (await h.KvsGetStringAsync(key + ".jobspec") is null || await h.KvsGetStringAsync(key + ".J") is null
                || Eventlog.Parse((await h.KvsGetStringAsync(key + ".eventlog"))!)[0].Name != "submit")
            {
                missing.Add(id);
            }
        }));
        Assert.Empty(missing);
    }

    [Fact]
    public async Task Policy_DurationLimit_RejectsWithClearError()
    {
        var (inst, jm) = await StartAsync("[policy.limits]\nduration = \"1h\"\n[policy.jobspec.defaults.system]\nduration = \"10m\"\n");
        await using var _ = inst;
        await using var __ = jm;
        await using var h = await inst.ConnectAsync();
        var ex = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(h, JobClient.Job().Duration(7200)));
        Assert.Equal("requested duration exceeds policy limit of 1h", ex.Message);
        var id = await JobClient.SubmitAsync(h, JobClient.Job());
        var jobspec = JsonNode.Parse((await KvsExtensions.KvsGetStringAsync(h, Fluid.Encode(id, FluidEncoding.Kvs) + ".jobspec"))!);
        Assert.Equal(600, jobspec!["attributes"]!["system"]!["duration"]!.GetValue<double>());
    }
}

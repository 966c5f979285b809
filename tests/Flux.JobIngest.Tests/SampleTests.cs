// The sample validator and frobnicator (samples/RequireBank, samples/SiteDefaults) loaded from their built dlls: what a guest and the owner get.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Client.Handle;
using Flux.Formats;

namespace Flux.JobIngest.Tests;

public sealed class SampleTests
{
    private const uint Guest = 4242;

    private static string Sample(string name)
    {
        var dll = Path.Combine(Repo.Root, "samples", name, "bin", "Release", "net10.0", name + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: ./build.sh builds the samples");
        return dll;
    }

    private static async Task<JsonObject> SystemAttributesAsync(FluxHandle h, ulong id) =>
        (JsonNode.Parse((await h.KvsGetStringAsync(Fluid.Encode(id, FluidEncoding.Kvs) + ".jobspec"))!)!["attributes"]!["system"] as JsonObject)!;

    [Fact]
    public async Task SiteDefaults_GuestDurationCapped_OwnerLeftAlone_ProjectDefaulted()
    {
        var config = $"[ingest.frobnicator]\nplugins = [\"{Sample("SiteDefaults")}\"]\n" +
            "[ingest.frobnicator.site-defaults]\nproject = \"general\"\nguest-max-duration = 60\n";
        await using var inst = await TestInstance.StartAsync(new InstanceOptions { Modules = [.. TestInstance.KvsModules, "job-ingest"], Config = config });
        await using var jm = await FakeJobManager.StartAsync(inst);
        await using var owner = await inst.ConnectAsync();
        await using var guest = await inst.ConnectAsync(asUser: Guest);
        var unlimited = await SystemAttributesAsync(owner, await JobClient.SubmitAsync(guest, JobClient.Job(), signer: Guest));
        Assert.Equal(60, unlimited["duration"]!.GetValue<double>());
        Assert.Equal("general", unlimited["project"]!.GetValue<string>());
        var shorter = await SystemAttributesAsync(owner, await JobClient.SubmitAsync(guest, JobClient.Job().SetAttr("system.duration", 30), signer: Guest));
        Assert.Equal(30, shorter["duration"]!.GetValue<double>());
        var owners = await SystemAttributesAsync(owner, await JobClient.SubmitAsync(owner, JobClient.Job().SetAttr("system.duration", 600).SetAttr("system.project", "mine")));
        Assert.Equal((600.0, "mine"), (owners["duration"]!.GetValue<double>(), owners["project"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RequireBank_NoBankOrUnknownBank_RejectedSayingHow_ListedBankAccepted()
    {
        var config = $"[ingest.validator]\nplugins = [\"jobspec\", \"{Sample("RequireBank")}\"]\n[ingest.validator.require-bank]\nbanks = [\"physics\"]\n";
        await using var inst = await TestInstance.StartAsync(new InstanceOptions { Modules = [.. TestInstance.KvsModules, "job-ingest"], Config = config });
        await using var jm = await FakeJobManager.StartAsync(inst);
        await using var h = await inst.ConnectAsync();
        var none = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(h, JobClient.Job()));
        Assert.Equal((Errno.EINVAL, "jobs must name a bank: flux submit --setattr=system.bank=NAME (one of: physics)"), (none.Errnum, none.Message));
        var unknown = await Assert.ThrowsAsync<FluxException>(() => JobClient.SubmitAsync(h, JobClient.Job().SetAttr("system.bank", "art")));
        Assert.Equal("unknown bank 'art' (one of: physics)", unknown.Message);
        await JobClient.SubmitAsync(h, JobClient.Job().SetAttr("system.bank", "physics"));
        Assert.Single(Assert.Single(jm.Submits));
    }
}

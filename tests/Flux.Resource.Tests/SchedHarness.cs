// An instance with the resource module, a fake job manager (and KVS) and sched-simple loaded after them.
using Flux.Formats;

namespace Flux.Resource.Tests;

internal sealed class SchedHarness : IAsyncDisposable
{
    public const string OneNode = """
        [[resource.config]]
        hosts = "node0"
        cores = "0-3"
        """;

    public const string TwoNodes = """
        [[resource.config]]
        hosts = "node[0-1]"
        cores = "0-3"
        """;

    public const string Mixed = """
        [[resource.config]]
        hosts = "node[0-1]"
        cores = "0-3"

        [[resource.config]]
        hosts = "node0"
        properties = ["batch"]

        [[resource.config]]
        hosts = "node1"
        gpus = "0-1"
        properties = ["debug", "gpu"]
        """;

    private SchedHarness(TestInstance inst, FakeJobManager jm)
    {
        Inst = inst;
        Jm = jm;
    }

    public TestInstance Inst { get; }

    public FakeJobManager Jm { get; }

    public static async Task<SchedHarness> StartAsync(string toml, Action<FakeJobManager>? setup = null, params string[] args)
    {
        var inst = await ResourceInstance.StartAsync(toml);
        var jm = await FakeJobManager.StartAsync(inst, online: false, withKvs: true);
        setup?.Invoke(jm);
        await inst.LoadModuleAsync("sched-simple", args);
        await Await.Within(jm.Ready, "job-manager.sched-ready from sched-simple");
        return new SchedHarness(inst, jm);
    }

    public AllocStream Alloc(ulong id, System.Text.Json.Nodes.JsonObject resource, uint priority = 16, double duration = 0, System.Text.Json.Nodes.JsonObject? constraints = null) =>
        AllocStream.Start(Jm.H, id, AllocStream.Jobspec(resource, duration, constraints), priority);

    /// <summary>The R the scheduler stored for a job (RFC 16 job.ID.R).</summary>
    public Rv1 StoredR(ulong id) => Rv1.Parse(Jm.Kvs[Fluid.Encode(id, FluidEncoding.Kvs) + ".R"]);

    /// <summary>Frees a job's whole allocation as the job manager does after it ends.</summary>
    public void Free(ulong id) => Jm.Free(id, StoredR(id).ToJson());

    public async ValueTask DisposeAsync()
    {
        await Jm.DisposeAsync();
        await Inst.DisposeAsync();
    }
}

// An in-process instance with the KVS and job modules, and a scripted scheduler playing RFC 27.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Abstractions.Kvs;
using Flux.Core.Broker;
using Flux.Client.Connectors;
using Flux.Client.Handle;

namespace Flux.Jobs.Tests;

internal sealed class PipelineInstance : IAsyncDisposable
{
    private static int _next;

    private PipelineInstance(Broker broker, string uri, string confDir, string stateDir)
    {
        Broker = broker;
        Uri = uri;
        ConfDir = confDir;
        StateDir = stateDir;
    }

    public Broker Broker { get; }

    public string Uri { get; }

    public string ConfDir { get; }

    public string StateDir { get; }

    public static string Bin
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Flux.sln")))
            {
                dir = dir.Parent;
            }
#if DEBUG
            const string cfg = "Debug";
#else
            const string cfg = "Release";
#endif
            return Path.Combine(dir!.FullName, "artifacts", cfg);
        }
    }

    public static async Task<PipelineInstance> StartAsync(string config = "", string? stateDir = null, string? confDir = null)
    {
        var modules = Path.Combine(Bin, "modules");
        foreach (var m in new[] { "Flux.Modules.Kvs", "Flux.Modules.Content", "Flux.Modules.JobManager", "Flux.Modules.JobIngest", "Flux.Modules.JobExec" })
        {
            Assert.True(Directory.Exists(Path.Combine(modules, m)), $"{m} is not built in {modules}: build the solution first");
        }
        confDir ??= TempDirs.Create("flux-jobs-conf-");
        stateDir ??= TempDirs.Create("flux-jobs-state-");
        await File.WriteAllTextAsync(Path.Combine(confDir, "test.toml"), "[exec.testexec]\nenable = true\n" + config);
        var name = $"jobs{Interlocked.Increment(ref _next)}-{Environment.ProcessId}";
        var options = new BrokerOptions
        {
            LoopName = name,
            Listen = false,
            ConfigPath = confDir,
            Rc1Modules = ["content", "content-sqlite", "kvs", "kvs-watch", "job-manager", "job-ingest", "job-exec"],
        };
        options.Attributes["conf.module_path"] = modules;
        options.Attributes["statedir"] = stateDir;
        var broker = new Broker(options);
        await broker.StartAsync();
        return new PipelineInstance(broker, "loop://" + name, confDir, stateDir);
    }

    public Task<FluxHandle> ConnectAsync(uint? asUser = null) =>
        FluxConnect.OpenAsync(asUser is { } u ? $"{Uri}?userid={u}" : Uri);

    public async ValueTask DisposeAsync() => await Broker.DisposeAsync();

    /// <summary>Submits a jobspec built from a command line, as flux submit does.</summary>
    public static async Task<ulong> SubmitAsync(FluxHandle h, JobspecBuilder b, int urgency = 16, uint? signer = null, int flags = 0)
    {
        var j = SignedJob.Wrap(b.Build().ToJsonString(), signer ?? Flux.Client.Connectors.PeerCredentials.CurrentUid);
        var resp = await h.RpcAsync("job-ingest.submit", new JsonObject { ["J"] = j, ["urgency"] = urgency, ["flags"] = flags });
        return resp!["id"]!.GetValue<ulong>();
    }

    public static JobspecBuilder Job(double runSeconds = 0) =>
        new JobspecBuilder(["true"]).SetAttr("system.exec.test.run_duration", runSeconds);

    public static async Task<JsonObject> WaitAsync(FluxHandle h, ulong id) =>
        (await h.RpcAsync("job-manager.wait", new JsonObject { ["id"] = id }).WaitAsync(TimeSpan.FromSeconds(60)))!;

    public static async Task<List<string>> EventNamesAsync(FluxHandle h, ulong id)
    {
        var log = await h.KvsGetStringAsync(Fluid.Encode(id, FluidEncoding.Kvs) + ".eventlog");
        return [.. Eventlog.Parse(log!).Select(e => e.Name)];
    }
}

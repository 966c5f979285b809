// An in-process broker reached over loop://, with the built modules (job-list, kvs ...) on its module path.
using Flux.Core.Broker;
using Flux.Client.Connectors;
using Flux.Client.Handle;

namespace Flux.JobList.Tests;

internal sealed class TestInstance : IAsyncDisposable
{
    /// <summary>What job-info needs: the content store, the KVS and its watches.</summary>
    public static readonly IReadOnlyList<string> KvsModules = ["content", "content-sqlite", "kvs", "kvs-watch"];

    private static int _next;
    private readonly string? _statedir;

    private TestInstance(Broker broker, string name, string? statedir)
    {
        Broker = broker;
        Name = name;
        _statedir = statedir;
    }

    public Broker Broker { get; }

    public string Name { get; }

    public string Uri => "loop://" + Name;

    /// <summary>
    /// Starts a broker that loads <paramref name="modules"/> (rc1) from the built module folder; with
    /// <paramref name="listen"/> it also serves its local socket (for the flux command).
    /// </summary>
    public static async Task<TestInstance> StartAsync(IReadOnlyList<string> modules, bool listen = false)
    {
        var name = $"joblist{Interlocked.Increment(ref _next)}-{Environment.ProcessId}";
        var options = new BrokerOptions { LoopName = name, Listen = listen, Rc1Modules = modules };
        options.Attributes["conf.module_path"] = Repo.ModuleDir("Flux.Modules.JobList");
        string? statedir = null;
        if (modules.Contains("content-sqlite"))
        {
            Repo.ModuleDir("Flux.Modules.Kvs");
            statedir = TempDirs.Create("flux-joblist-test-");
            options.Attributes["statedir"] = statedir;
        }
        var broker = new Broker(options);
        try
        {
            await broker.StartAsync();
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
        return new TestInstance(broker, name, statedir);
    }

    public Task<FluxHandle> ConnectAsync(uint? asUser = null) =>
        FluxConnect.OpenAsync(asUser is { } u ? $"{Uri}?userid={u}" : Uri);

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        if (_statedir is not null)
        {
            try
            {
                Directory.Delete(_statedir, recursive: true);
            }
            catch (IOException)
            {
                // Left for the tmp cleaner.
            }
        }
    }
}

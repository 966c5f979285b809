// The one in-process test instance: a real broker reached over loop://, with chosen modules loaded
// from the built module folder; it removes what it created when disposed.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Core.Broker;
using Flux.Client.Connectors;
using Flux.Core.Connectors;
using Flux.Client.Handle;
using Flux.Client.Plugins;

namespace Flux.Tests.Shared;

internal sealed class TestInstance : IAsyncDisposable
{
    /// <summary>The content store, the KVS and its watches, in load order.</summary>
    public static readonly IReadOnlyList<string> KvsModules = ["content", "content-sqlite", "kvs", "kvs-watch"];

    private static int _next;
    private readonly List<string> _owned = [];

    private Broker? _broker;

    private TestInstance(string name)
    {
        Name = name;
    }

    public Broker Broker => _broker ?? throw new InvalidOperationException("the instance has not started");

    /// <summary>The name under which <c>loop://NAME</c> reaches the broker.</summary>
    public string Name { get; }

    public string Uri => "loop://" + Name;

    /// <summary>The statedir, or null when the instance has none.</summary>
    public string? Statedir { get; private set; }

    /// <summary>The configuration directory, or null when the instance has none.</summary>
    public string? ConfigDir { get; private set; }

    /// <summary>Starts a broker with no modules.</summary>
    public static Task<TestInstance> StartAsync() => StartAsync(new InstanceOptions());

    /// <summary>Starts a broker loading <paramref name="modules"/> at start-up.</summary>
    public static Task<TestInstance> StartAsync(params string[] modules) => StartAsync(new InstanceOptions { Modules = modules });

    /// <summary>
    /// Starts a broker as <paramref name="options"/> say. A module that is not built fails the test
    /// saying so; a start-up that throws leaves no broker or directory behind.
    /// </summary>
    public static async Task<TestInstance> StartAsync(InstanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var moduleDir = Repo.Modules;
        foreach (var m in options.Modules.Where(m => !PluginLoader.IsPath(m)))
        {
            Assert.True(PluginLoader.Find(m, PluginKind.Module, [moduleDir]) is not null,
                $"module {m} is not built in {moduleDir}: build it first (./build.sh or dotnet build Flux.sln -c {Repo.Configuration})");
        }
        var inst = new TestInstance($"test{Interlocked.Increment(ref _next)}-{Environment.ProcessId}");
        try
        {
            inst.ConfigDir = options.ConfigPath;
            if (options.Config is not null && inst.ConfigDir is not null)
            {
                await File.WriteAllTextAsync(Path.Combine(inst.ConfigDir, options.ConfigFile), options.Config);
            }
            else if (options.Config is not null)
            {
                inst.ConfigDir = inst.Own(TempDirs.Create("flux-test-conf-", options.ConfigFile, options.Config));
            }
            inst.Statedir = options.Statedir ?? (options.Modules.Contains("content-sqlite") ? inst.Own(TempDirs.Create("flux-test-state-")) : null);
            var bo = new BrokerOptions { LoopName = inst.Name, Listen = options.Listen, ConfigPath = inst.ConfigDir, Rc1Modules = options.Modules };
            bo.Attributes["conf.module_path"] = moduleDir;
            bo.Attributes["conf.jobtap_pluginpath"] = Repo.Jobtap;
            bo.Attributes["conf.validator_path"] = Repo.Validators;
            if (inst.Statedir is not null)
            {
                bo.Attributes["statedir"] = inst.Statedir;
            }
            foreach (var (k, v) in options.Attributes)
            {
                bo.Attributes[k] = v;
            }
            inst._broker = new Broker(bo);
            await inst._broker.StartAsync();
            return inst;
        }
        catch
        {
            await inst.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens a client handle: the owner's, or guest <paramref name="asUser"/>'s.</summary>
    public Task<FluxHandle> ConnectAsync(uint? asUser = null) =>
        FluxConnect.OpenAsync(asUser is { } u ? $"{Uri}?userid={u}" : Uri);

    /// <summary>Loads a module by name (from the built module folder) or by path, as <c>flux module load</c> does.</summary>
    public async Task LoadModuleAsync(string nameOrPath, params string[] args)
    {
        await using var h = await ConnectAsync();
        await h.RpcAsync("module.load", new JsonObject { ["path"] = nameOrPath, ["args"] = new JsonArray([.. args.Select(a => (JsonNode)a)]) });
    }

    /// <summary>Removes a module, as <c>flux module remove</c> does.</summary>
    public async Task RemoveModuleAsync(string name)
    {
        await using var h = await ConnectAsync();
        await h.RpcAsync("module.remove", new JsonObject { ["name"] = name });
    }

    /// <summary>The broker's log ring as <c>flux dmesg</c> shows it, one "name: text" a line.</summary>
    public string Dmesg() => string.Join('\n', Broker.Log.Snapshot().Select(e => $"{e.Name}: {e.Text}"));

    public async ValueTask DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
            _broker = null;
        }
        RemoveOwned();
    }

    private string Own(string dir)
    {
        _owned.Add(dir);
        return dir;
    }

    private void RemoveOwned()
    {
        foreach (var dir in _owned)
        {
            TempDirs.Remove(dir);
        }
        _owned.Clear();
    }
}

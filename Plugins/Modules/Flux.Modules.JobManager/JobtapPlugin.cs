// One loaded jobtap plugin: its handler table and configuration (IPluginRegistrar) and its view of the job manager (IJobtap).
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Microsoft.Extensions.Logging;

namespace Flux.Modules.JobManager;

internal sealed class JobtapPlugin(JobManagerModule manager, IFlux flux, string name, JsonObject conf, ILogger log) : IJobtap, IPluginRegistrar
{
    private readonly List<(string Glob, PluginHandler Handler)> _handlers = [];

    // Topic -> its handler or null: topics are few (job.state.*, job.event.NAME ...), calls are many.
    private readonly Dictionary<string, PluginHandler?> _byTopic = new(StringComparer.Ordinal);

    /// <summary>The handle the plugin is given (its faults named, its handlers dropped with it).</summary>
    public JobtapFlux Flux { get; } = new(flux, name, log);

    public string Name => name;

    public JsonObject Conf => conf;

    /// <summary>Where it was loaded from, or null for a builtin.</summary>
    public string? Path { get; set; }

    /// <summary>Builtins (a leading dot) load with job-manager and are never removed.</summary>
    public bool IsBuiltin => name.StartsWith('.');

    public ILoadedPlugin? Loaded { get; set; }

    /// <summary>Jobs whose every event this plugin sees as <c>job.event.NAME</c>.</summary>
    public HashSet<ulong> Subscriptions { get; } = [];

    public void Handle(string topicGlob, PluginHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(topicGlob);
        ArgumentNullException.ThrowIfNull(handler);
        _handlers.Add((topicGlob, handler));
        _byTopic.Clear();
    }

    /// <summary>Jobtap callbacks are synchronous, as in flux-core: a handler that waits would stall every job.</summary>
    public void HandleAsync(string topicGlob, AsyncPluginHandler handler) =>
        throw new FluxException(Errno.EOPNOTSUPP,
            $"jobtap plugin {name}: {topicGlob}: jobtap handlers are synchronous and cannot be asynchronous (HandleAsync); " +
            "start the work with IFlux.Background and post its outcome (PostEvent, RaiseException, Reprioritize) when it completes");

    /// <summary>The first handler whose glob matches (plugin.c runs only one per plugin), matched once per topic.</summary>
    public PluginHandler? HandlerFor(string topic)
    {
        if (_byTopic.TryGetValue(topic, out var found))
        {
            return found;
        }
        foreach (var (glob, handler) in _handlers)
        {
            if (TopicGlob.Match(glob, topic))
            {
                found = handler;
                break;
            }
        }
        _byTopic[topic] = found;
        return found;
    }

    public void Unload()
    {
        Flux.Unload();
        Loaded?.Dispose();
    }

    public void PostEvent(ulong id, string name, JsonObject? context = null) => manager.JobtapPost(manager.JobtapJob(id), name, context);

    public void RaiseException(ulong id, string type, int severity, string note) =>
        manager.JobtapPost(manager.JobtapJob(id), global::Flux.Formats.JobEventNames.Exception,
            new JsonObject { ["type"] = type, ["severity"] = severity, ["note"] = note });

    public void Reprioritize(ulong id, long priority) => manager.JobtapReprioritize(manager.JobtapJob(id), priority);

    public void ReprioritizeAll() => manager.ReprioritizeAll();

    public void AddDependency(ulong id, string description) => manager.DependencyAdd(manager.JobtapJob(id), description);

    public void RemoveDependency(ulong id, string description) => manager.DependencyRemove(manager.JobtapJob(id), description);

    public void SetAux(ulong id, string key, object? value)
    {
        var job = manager.JobtapJob(id);
        if (value is null)
        {
            job.Aux?.Remove((this, key));
            return;
        }
        (job.Aux ??= [])[(this, key)] = value;
    }

    public object? GetAux(ulong id, string key) =>
        manager.JobtapJob(id).Aux?.GetValueOrDefault((this, key));

    public JsonObject Lookup(ulong id) => JobManagerModule.JobArgsCopy(manager.JobtapJob(id));

    public bool EventPosted(ulong id, string name)
    {
        var prefix = System.Text.Encoding.UTF8.GetBytes($"\"name\":\"{name}\"");
        return manager.JobtapJob(id).EventLines().Any(l => l.Span.IndexOf(prefix) >= 0);
    }

    public void Subscribe(ulong id) => Subscriptions.Add(manager.JobtapJob(id).Id);

    public void Unsubscribe(ulong id) => Subscriptions.Remove(manager.JobtapJob(id).Id);

    public void PrologStart(string description) => manager.PerilogPost(manager.JobtapJob(IJobtap.CurrentJob), prolog: true, start: true, description, 0);

    public void PrologFinish(ulong id, string description, int status) => manager.PerilogPost(manager.JobtapJob(id), prolog: true, start: false, description, status);

    public void EpilogStart(string description) => manager.PerilogPost(manager.JobtapJob(IJobtap.CurrentJob), prolog: false, start: true, description, 0);

    public void EpilogFinish(ulong id, string description, int status) => manager.PerilogPost(manager.JobtapJob(id), prolog: false, start: false, description, status);

    public IDisposable RegisterService(string method, MessageHandler handler, FluxRole allow = FluxRole.Owner) =>
        Flux.RegisterHandler(MessageType.Request, $"job-manager.{name.TrimStart('.')}.{method}", handler, allow);
}

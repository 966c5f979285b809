// One loaded validator or frobnicator: its name, Conf and handler table (IPluginRegistrar), and the assembly it came from.
using System.Text.Json.Nodes;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.Modules.JobIngest;

internal sealed class IngestPlugin(string name, JsonObject conf) : IPluginRegistrar
{
    // The builtins whose answer depends only on the jobspec and the configuration: a bulk submission
    // (the same J many times) is run through them once. feasibility asks the scheduler, whose answer changes.
    private static readonly HashSet<string> Deterministic = ["jobspec", "schema", "require-instance", "defaults", "constraints"];

    private readonly List<(string Glob, IngestHandler Handler)> _handlers = [];

    // Topic -> handler or null: job.frobnicate or job.validate for every job, conf.update per load.
    private readonly Dictionary<string, IngestHandler?> _byTopic = new(StringComparer.Ordinal);

    public string Name => name;

    public JsonObject Conf => conf;

    public ILoadedPlugin? Loaded { get; set; }

    /// <summary>Whether this is one of the builtins (from Flux.Validators.Builtins) known to depend on nothing but the job and the configuration.</summary>
    public bool IsDeterministic =>
        Loaded?.Instance.GetType().Assembly.GetName().Name == "Flux.Validators.Builtins" && Deterministic.Contains(name)
        && _handlers.TrueForAll(h => h.Handler.Async is null);

    public void Handle(string topicGlob, PluginHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(topicGlob);
        ArgumentNullException.ThrowIfNull(handler);
        _handlers.Add((topicGlob, new IngestHandler(handler, null)));
        _byTopic.Clear();
    }

    public void HandleAsync(string topicGlob, AsyncPluginHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(topicGlob);
        ArgumentNullException.ThrowIfNull(handler);
        _handlers.Add((topicGlob, new IngestHandler(null, handler)));
        _byTopic.Clear();
    }

    /// <summary>The first handler whose glob matches: one per plugin and topic, as for jobtap plugins; matched once per topic.</summary>
    public IngestHandler? HandlerFor(string topic)
    {
        if (_byTopic.TryGetValue(topic, out var found))
        {
            return found;
        }
        foreach (var (glob, handler) in _handlers)
        {
            if (Glob.IsMatch(glob, topic))
            {
                found = handler;
                break;
            }
        }
        _byTopic[topic] = found;
        return found;
    }
}

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
    }

    public void HandleAsync(string topicGlob, AsyncPluginHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(topicGlob);
        ArgumentNullException.ThrowIfNull(handler);
        _handlers.Add((topicGlob, new IngestHandler(null, handler)));
    }

    /// <summary>The first handler whose glob matches: one per plugin and topic, as for jobtap plugins.</summary>
    public IngestHandler? HandlerFor(string topic)
    {
        foreach (var (glob, handler) in _handlers)
        {
            if (Glob.IsMatch(glob, topic))
            {
                return handler;
            }
        }
        return null;
    }
}

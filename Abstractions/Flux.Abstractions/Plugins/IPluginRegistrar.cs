// What a plugin sees of itself while it registers: its name, its configuration, its handler table.
using System.Text.Json.Nodes;

namespace Flux.Abstractions.Plugins;

/// <summary>The plugin being registered (flux-core's <c>flux_plugin_t</c>).</summary>
public interface IPluginRegistrar
{
    /// <summary>The plugin's name as listed: its <see cref="FluxPluginAttribute"/> name.</summary>
    string Name { get; }

    /// <summary>
    /// The plugin's own configuration: the <c>conf</c> table of its <c>[job-manager] plugins</c>
    /// entry, or the <c>KEY=VAL</c> words of <c>flux jobtap load</c> (values that parse as JSON numbers
    /// or booleans are those, the rest strings), or for a shell plugin the <c>conf</c> table of
    /// <c>plugin.load</c> in initrc.lua. Empty when none was given. Never null.
    /// </summary>
    JsonObject Conf { get; }

    /// <summary>
    /// Adds a handler (flux_plugin_add_handler) for the topics matching <paramref name="topicGlob"/> (<c>*</c>, <c>?</c> and
    /// <c>[...]</c> as in fnmatch). Within one plugin only the first matching handler runs for a
    /// topic, in the order they were added.
    /// </summary>
    void Handle(string topicGlob, PluginHandler handler);

    /// <summary>
    /// Adds an asynchronous handler (<see cref="AsyncPluginHandler"/>) for the topics matching
    /// <paramref name="topicGlob"/>, ordered with those of <see cref="Handle"/>: the host awaits it
    /// without holding its loop, and the call moves on to the next plugin once it completes. Only hosts
    /// that can wait accept one: job-ingest (validators, frobnicators) and the job shell do; job-manager's jobtap host
    /// does not (jobtap callbacks are synchronous, as in flux-core) and throws a
    /// <see cref="FluxException"/> (EOPNOTSUPP) naming the plugin, which refuses its load. A jobtap plugin
    /// starts such work with <see cref="IFlux.Background"/> and acts when it completes.
    /// </summary>
    void HandleAsync(string topicGlob, AsyncPluginHandler handler);
}

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
    /// or booleans are those, the rest strings). Empty when none was given. Never null.
    /// </summary>
    JsonObject Conf { get; }

    /// <summary>
    /// Adds a handler (flux_plugin_add_handler) for the topics matching <paramref name="topicGlob"/> (<c>*</c>, <c>?</c> and
    /// <c>[...]</c> as in fnmatch). Within one plugin only the first matching handler runs for a
    /// topic, in the order they were added.
    /// </summary>
    void Handle(string topicGlob, PluginHandler handler);
}

// The plugin-template jobtap plugin: posts a plugin-template-run event to each job that starts running, and counts them.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace PluginTemplate;

/// <summary>
/// Load it by name once installed (<c>flux plugin install</c>), or list it in config
/// (<c>[job-manager] plugins = [{ load = "plugin-template" }]</c>):
/// <code>
/// flux jobtap load plugin-template [note=TEXT]
/// flux run true; flux job eventlog $(flux job last)    # ... plugin-template-run count=1 note="..."
/// flux jobtap query plugin-template                    # {"runs": 1, ...}
/// </code>
/// Callbacks run on the job manager's loop, one at a time and synchronously: keep them short, and
/// start longer work with IFlux.Background.
/// </summary>
[FluxPlugin("plugin-template", PluginKind.Jobtap, Description = "Posts plugin-template-run to running jobs")]
public sealed class PluginTemplatePlugin(IJobtap jobtap) : IFluxPlugin
{
    private long _runs;

    /// <inheritdoc />
    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        // Conf: the KEY=VAL words of flux jobtap load, or the conf table of the config entry. A bad value refuses the load.
        var note = plugin.Conf["note"] is JsonNode n
            ? n is JsonValue v && v.TryGetValue(out string? text) ? text : throw new FluxException(Errno.EINVAL, "note must be a string")
            : "seen by plugin-template";
        plugin.Handle("job.state.run", (_, args) =>
        {
            _runs++;
            jobtap.PostEvent(IJobtap.CurrentJob, "plugin-template-run", new JsonObject { ["count"] = _runs, ["note"] = note });
            return true;
        });
        // flux jobtap query plugin-template
        plugin.Handle("plugin.query", (_, args) =>
        {
            args.Out["runs"] = _runs;
            args.Out["note"] = note;
            return true;
        });
    }
}

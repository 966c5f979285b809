// The plugin-template frobnicator: gives a job that sets no time limit a default one.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace PluginTemplate;

/// <summary>
/// job-ingest runs it on each submission, before the validators, once it is listed in config (by name
/// once installed):
/// <code>
/// [ingest.frobnicator]
/// plugins = ["plugin-template"]
/// [ingest.frobnicator.plugin-template]
/// duration = 600             # optional: the default time limit in seconds (3600 if not set)
///
/// flux submit true; flux job info $(flux job last) jobspec    # ... "duration": 600 ...
/// </code>
/// Handlers may run concurrently for different jobs: keep state read-only after Register.
/// </summary>
[FluxPlugin("plugin-template", PluginKind.Frobnicator, Description = "Default time limit for jobs that set none")]
public sealed class PluginTemplateFrobnicator : IFluxPlugin
{
    private double _duration = 3600;

    /// <inheritdoc />
    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        // Conf is the plugin's [ingest.frobnicator.plugin-template] table; a bad value refuses the load with this message.
        if (plugin.Conf["duration"] is JsonNode duration)
        {
            _duration = Seconds(duration) is > 0 and var d ? d : throw new FluxException(Errno.EINVAL, "duration must be a number of seconds > 0");
        }
        plugin.Handle("job.frobnicate", Frobnicate);
    }

    // Changes IN jobspec in place: the validators see the result, and it is what job-ingest stores.
    private bool Frobnicate(string topic, PluginArgs args)
    {
        if (args.In["jobspec"] is not JsonObject jobspec)
        {
            return args.Error("plugin-template: the job has no jobspec");
        }
        if (jobspec["attributes"] is not JsonObject attributes)
        {
            jobspec["attributes"] = attributes = [];
        }
        if (attributes["system"] is not JsonObject system)
        {
            attributes["system"] = system = [];
        }
        // RFC 25: a duration of 0 (or none) means no limit.
        if ((Seconds(system["duration"]) ?? 0) <= 0)
        {
            system["duration"] = _duration;
        }
        return true;
    }

    // A JSON number whatever it holds (TOML integers arrive as long, jobspec numbers as JSON elements).
    private static double? Seconds(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) : null;
}

// The plugin-template validator: rejects a job that sets no time limit, or one longer than a configured maximum.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace PluginTemplate;

/// <summary>
/// job-ingest runs it on each submission once it is listed in config (by name once installed):
/// <code>
/// [ingest.validator]
/// plugins = ["jobspec", "plugin-template"]
/// [ingest.validator.plugin-template]
/// max-duration = 3600        # optional: the longest time limit accepted, in seconds
///
/// flux submit true           # -> plugin-template: jobs must set a time limit: flux submit -t DURATION
/// </code>
/// Handlers may run concurrently for different jobs: keep state read-only after Register.
/// </summary>
[FluxPlugin("plugin-template", PluginKind.Validator, Description = "Requires a time limit (at most max-duration)")]
public sealed class PluginTemplateValidator : IFluxPlugin
{
    private double _maxDuration;

    /// <inheritdoc />
    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        // Conf is the plugin's [ingest.validator.plugin-template] table; a bad value refuses the load with this message.
        if (plugin.Conf["max-duration"] is JsonNode max)
        {
            _maxDuration = Seconds(max) is > 0 and var d ? d : throw new FluxException(Errno.EINVAL, "max-duration must be a number of seconds > 0");
        }
        plugin.Handle("job.validate", Validate);
    }

    private bool Validate(string topic, PluginArgs args)
    {
        // RFC 25: attributes.system.duration in seconds; 0 or absent means no limit.
        var duration = Seconds(args.In["jobspec"]?["attributes"]?["system"]?["duration"]) ?? 0;
        if (duration <= 0)
        {
            return args.Error("plugin-template: jobs must set a time limit: flux submit -t DURATION");
        }
        if (_maxDuration > 0 && duration > _maxDuration)
        {
            return args.Error($"plugin-template: time limit {duration}s is over the maximum {_maxDuration}s");
        }
        return true;
    }

    // A JSON number whatever it holds (TOML integers arrive as long, jobspec numbers as JSON elements).
    private static double? Seconds(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) : null;
}

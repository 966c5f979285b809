// The jobspec validator (default): RFC 25 version 1 checks, or with --require-version=any the RFC 14 shape of any version.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.Validators.Builtins;

[FluxPlugin("jobspec", PluginKind.Validator, Description = "Validate jobspec (RFC 25 version 1, or --require-version=any)")]
public sealed class JobspecValidator : IFluxPlugin
{
    private bool _anyVersion;

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        // flux-core's jobspec plugin: --require-version=V with V 1 (the default) or "any".
        _anyVersion = PluginOptions.Text(plugin.Conf, "require-version") switch
        {
            null or "1" => false,
            "any" => true,
            var v when long.TryParse(v, out var n) && n < 1 => throw new FluxException(Errno.EINVAL, $"Required jobspec version too low: {v} is < 1"),
            var v when long.TryParse(v, out _) => throw new FluxException(Errno.EINVAL, $"Required jobspec version too high: {v} is > 1"),
            _ => throw new FluxException(Errno.EINVAL, "Invalid argument to --require-version"),
        };
        plugin.Handle("job.validate", Validate);
    }

    private bool Validate(string topic, PluginArgs args)
    {
        var jobspec = args.In["jobspec"];
        if (jobspec is null)
        {
            return args.Error("jobspec: missing");
        }
        if (_anyVersion && !(jobspec["version"] is JsonValue v && v.TryGetValue(out long version) && version == 1))
        {
            return AnyVersion(jobspec, args);
        }
        return JobspecV1.Check(jobspec) is not { } why || args.Error(why);
    }

    // RFC 14's requirements on every version: an integer version, resources and tasks arrays, attributes.system.
    private static bool AnyVersion(JsonNode jobspec, PluginArgs args)
    {
        if (jobspec is not JsonObject top || top["version"] is not JsonValue v || !v.TryGetValue(out long version) || version < 1)
        {
            return args.Error("version: must be an integer >= 1");
        }
        if (top["resources"] is not JsonArray)
        {
            return args.Error("resources: must be an array");
        }
        if (top["tasks"] is not JsonArray)
        {
            return args.Error("tasks: must be an array");
        }
        return top["attributes"]?["system"] is JsonObject || args.Error("attributes.system: must be an object");
    }
}

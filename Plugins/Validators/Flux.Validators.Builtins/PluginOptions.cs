// Reading a builtin's options from its Conf: the [ingest.KIND.NAME] table and the --key=value words of [ingest.KIND] args.
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Validators.Builtins;

internal static class PluginOptions
{
    /// <summary>An integer option, or <paramref name="fallback"/> when absent; anything else refuses the load naming the key.</summary>
    public static long Integer(JsonObject conf, string key, long fallback)
    {
        var n = conf[key];
        if (n is null)
        {
            return fallback;
        }
        // --key=12 arrives as a number; a string of digits (from a table written "12") is accepted too.
        if (n is JsonValue v && (v.TryGetValue(out long i) || (v.GetValueKind() == JsonValueKind.String && long.TryParse(v.GetValue<string>(), out i))))
        {
            return i;
        }
        throw new FluxException(Errno.EINVAL, $"{key}: expected an integer, got {n.ToJsonString()}");
    }

    /// <summary>A string option (a number is taken as its text), or null when absent.</summary>
    public static string? Text(JsonObject conf, string key) => conf[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        var other => throw new FluxException(Errno.EINVAL, $"{key}: expected a string, got {other.ToJsonString()}"),
    };
}

// Typed config getters for the Flux formats: FSD durations, idsets and hostlists.
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>Typed getters on <see cref="FluxConfig"/> for values written in the Flux formats.</summary>
public static partial class FluxConfigFormats
{
    /// <summary>
    /// A duration written as an RFC 23 FSD string ("30m", "2h", "inf"), in seconds, or the default
    /// when absent. A number or a malformed string is an error:
    /// <c>system.toml: [kvs] checkpoint-period: expected a duration like "30m", got 42</c>.
    /// </summary>
    public static double GetDuration(this FluxConfig config, string path, double defaultSeconds)
    {
        ArgumentNullException.ThrowIfNull(config);
        var n = config.Get(path);
        if (n is null)
        {
            return defaultSeconds;
        }
        return n is JsonValue v && v.GetValueKind() == JsonValueKind.String && Fsd.TryParse(v.GetValue<string>(), out var seconds)
            ? seconds
            : throw config.Error(path, "expected a duration like \"30m\"", n);
    }

    /// <summary>An RFC 22 idset string ("0-7,9"), or null when absent.</summary>
    public static IdSet? GetIdSet(this FluxConfig config, string path)
    {
        ArgumentNullException.ThrowIfNull(config);
        var n = config.Get(path);
        if (n is null)
        {
            return null;
        }
        return n is JsonValue v && v.GetValueKind() == JsonValueKind.String && IdSet.TryParse(v.GetValue<string>(), out var set)
            ? set
            : throw config.Error(path, "expected an idset like \"0-7\"", n);
    }

    /// <summary>An RFC 29 hostlist string ("node[1-16]"), or null when absent.</summary>
    public static Hostlist? GetHostlist(this FluxConfig config, string path)
    {
        ArgumentNullException.ThrowIfNull(config);
        var n = config.Get(path);
        if (n is null)
        {
            return null;
        }
        return n is JsonValue v && v.GetValueKind() == JsonValueKind.String && Hostlist.TryParse(v.GetValue<string>(), out var hl)
            ? hl
            : throw config.Error(path, "expected a hostlist like \"node[1-16]\"", n);
    }
}

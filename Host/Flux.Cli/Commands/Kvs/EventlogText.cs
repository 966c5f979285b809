// Printing RFC 18 events as flux kvs eventlog does: "TIMESTAMP NAME key=value ...", or raw JSON.
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

/// <summary>Printing RFC 18 events as flux-core does: "TIMESTAMP NAME key=value ...", or raw JSON.</summary>
internal static class EventlogText
{
    public static IEnumerable<JsonObject> Lines(byte[] data)
    {
        foreach (var line in Encoding.UTF8.GetString(data).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            JsonObject? e;
            try
            {
                e = JsonNode.Parse(line) as JsonObject;
            }
            catch (JsonException ex)
            {
                throw new FluxException(Errno.EINVAL, $"eventlog line is not JSON: {ex.Message}");
            }
            yield return e ?? throw new FluxException(Errno.EINVAL, "eventlog line is not a JSON object");
        }
    }

    public static string Format(JsonObject e, bool unformatted)
    {
        if (unformatted)
        {
            return e.ToJsonString();
        }
        var ts = e["timestamp"]?.GetValue<double>() ?? 0;
        var sb = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{ts:F6} {e["name"]?.GetValue<string>()}"));
        if (e["context"] is JsonObject ctx)
        {
            foreach (var (k, v) in ctx)
            {
                sb.Append(' ').Append(k).Append('=').Append(v is JsonValue jv && jv.TryGetValue(out string? s) ? s : v?.ToJsonString() ?? "null");
            }
        }
        return sb.ToString();
    }
}

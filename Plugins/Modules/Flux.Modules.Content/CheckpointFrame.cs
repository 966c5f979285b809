// The first frame of a content-backing.commit request: the checkpoint {key, value} written with its blobs.
using System.Text.Json;
using Flux.Abstractions;

namespace Flux.Modules.Content;

/// <summary>
/// A checkpoint record as <c>content-backing.commit</c> carries it in its first frame: the JSON object
/// <c>{"key": KEY, "value": VALUE, "history": BOOL}</c>. The value is kept as JSON text, as the
/// <c>checkpt</c> table stores it. With <c>history</c> the record is a new checkpoint of the kept
/// history; without, it renews the newest one.
/// </summary>
internal sealed record CheckpointFrame(string Key, string Value, bool History)
{
    /// <summary>Parses the first frame of a commit; a frame that is not such an object is EPROTO.</summary>
    public static CheckpointFrame Parse(ReadOnlySpan<byte> frame)
    {
        try
        {
            var reader = new Utf8JsonReader(frame);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String
                && root.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Object)
            {
                var history = root.TryGetProperty("history", out var h) && h.ValueKind == JsonValueKind.True;
                return new CheckpointFrame(key.GetString()!, value.GetRawText(), history);
            }
        }
        catch (JsonException ex)
        {
            throw new FluxException(Errno.EPROTO, $"commit: the checkpoint frame is not JSON: {ex.Message}");
        }
        throw new FluxException(Errno.EPROTO, "commit: the checkpoint frame must be {\"key\": string, \"value\": object}");
    }
}

// The first frame of a content.commit request: the checkpoint {key, value} written with its blobs.
using System.Text.Json;
using Flux.Abstractions;

namespace Flux.Modules.Content;

/// <summary>
/// A checkpoint record as <c>content.commit</c> carries it in its first frame: the JSON object
/// <c>{"key": KEY, "value": VALUE}</c>. The value is kept as JSON text, as the <c>checkpt</c> table
/// stores it.
/// </summary>
internal sealed record CheckpointFrame(string Key, string Value)
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
                return new CheckpointFrame(key.GetString()!, value.GetRawText());
            }
        }
        catch (JsonException ex)
        {
            throw new FluxException(Errno.EPROTO, $"commit: the checkpoint frame is not JSON: {ex.Message}");
        }
        throw new FluxException(Errno.EPROTO, "commit: the checkpoint frame must be {\"key\": string, \"value\": object}");
    }
}

// One event of an RFC 18 eventlog: timestamp, name and optional context object.
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>
/// One RFC 18 event: <paramref name="Timestamp"/> in seconds since the Unix epoch (must be &gt; 0),
/// <paramref name="Name"/>, and an optional <paramref name="Context"/> object. Equality compares the
/// context by reference, as records do; compare <see cref="ToLine"/> output for value equality.
/// </summary>
/// <param name="Timestamp">Seconds since the Unix epoch, greater than zero, possibly fractional.</param>
/// <param name="Name">The event name, e.g. <c>submit</c>.</param>
/// <param name="Context">Event data, or null when the event has none.</param>
public sealed record EventlogEntry(double Timestamp, string Name, JsonObject? Context)
{
    /// <summary>
    /// The current time as an eventlog timestamp: seconds since the Unix epoch with microseconds, as
    /// flux-core's libeventlog stamps an event (clock_gettime(CLOCK_REALTIME)).
    /// </summary>
    public static double Now() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10 / 1e6;

    /// <summary>
    /// The event as one eventlog line: compact JSON with keys in the order timestamp, name, context
    /// (context omitted when null), followed by a single <c>\n</c>. Throws EINVAL when the timestamp is
    /// not a finite number above zero or the name is null.
    /// </summary>
    public string ToLine() => System.Text.Encoding.UTF8.GetString(ToUtf8Line());

    /// <summary>
    /// The event as one eventlog line in UTF-8, newline included: what <see cref="ToLine"/> returns,
    /// without the string (what a KVS append or a raw JSON write wants). Throws as ToLine does.
    /// </summary>
    public byte[] ToUtf8Line()
    {
        if (!double.IsFinite(Timestamp) || Timestamp <= 0)
        {
            throw new FluxException(Errno.EINVAL, $"event '{Name}': timestamp must be a number greater than zero");
        }
        if (Name is null)
        {
            throw new FluxException(Errno.EINVAL, "event name must be a string");
        }
        return JsonScratch.Encode(this, static (w, e) => e.WriteTo(w), relaxed: true, suffix: '\n');
    }

    /// <summary>Writes the event as a JSON object (the line without its newline) into a larger document.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("timestamp", Timestamp);
        writer.WriteString("name", Name);
        if (Context is not null)
        {
            writer.WritePropertyName("context");
            Context.WriteTo(writer);
        }
        writer.WriteEndObject();
    }
}

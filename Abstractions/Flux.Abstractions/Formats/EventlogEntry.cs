// One event of an RFC 18 eventlog: timestamp, name and optional context object.
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flux.Abstractions.Formats;

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
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>
    /// The event as one eventlog line: compact JSON with keys in the order timestamp, name, context
    /// (context omitted when null), followed by a single <c>\n</c>. Throws EINVAL when the timestamp is
    /// not a finite number above zero or the name is null.
    /// </summary>
    public string ToLine()
    {
        if (!double.IsFinite(Timestamp) || Timestamp <= 0)
        {
            throw new FluxException(Errno.EINVAL, $"event '{Name}': timestamp must be a number greater than zero");
        }
        if (Name is null)
        {
            throw new FluxException(Errno.EINVAL, "event name must be a string");
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteTo(writer);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n";
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

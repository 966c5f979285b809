// Decoding and appending RFC 18 eventlogs: JSON Lines of {timestamp, name, context?} objects.
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>
/// RFC 18 eventlogs: one JSON object per line, each line ending in exactly one <c>\n</c>, no empty
/// lines. Errors are <see cref="FluxException"/> with EINVAL and name the 1-based line number.
/// </summary>
public static class Eventlog
{
    /// <summary>
    /// Decodes a whole eventlog. The empty string is an empty log (as in flux-core). Rejects a missing
    /// final newline, an empty line (a leading or doubled newline), invalid JSON, a non-object event,
    /// a missing or non-number or non-positive timestamp, a missing or non-string name, and a context
    /// that is not an object; the message says which, e.g. <c>line 3: context must be an object</c>.
    /// </summary>
    public static IReadOnlyList<EventlogEntry> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<EventlogEntry>();
        if (text.Length == 0)
        {
            return entries;
        }
        if (text[^1] != '\n')
        {
            var lastLine = text.AsSpan().Count('\n') + 1;
            throw new FluxException(Errno.EINVAL, $"line {lastLine}: missing final newline");
        }
        var line = 1;
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            entries.Add(Decode(text.AsSpan(start, end - start), line));
            start = end + 1;
            line++;
        }
        return entries;
    }

    /// <summary>
    /// Decodes one event as flux-core's <c>eventlog_entry_decode</c> does: the text must be one RFC 18
    /// line, ending in exactly one <c>\n</c> with no other newline (what an eventlog-watch response's
    /// <c>event</c> carries). Throws EINVAL as <see cref="Parse"/> does (without a line number), e.g.
    /// <c>missing final newline</c>.
    /// </summary>
    public static EventlogEntry ParseEntry(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var span = line.AsSpan();
        if (!span.EndsWith("\n"))
        {
            throw new FluxException(Errno.EINVAL, span.IsEmpty ? "empty event" : "missing final newline");
        }
        return Decode(span[..^1], 0);
    }

    /// <summary>
    /// Returns <paramref name="log"/> with <paramref name="entry"/> appended as one line. The existing
    /// log must be empty or end with a newline (it is not otherwise re-validated).
    /// </summary>
    public static string Append(string log, EventlogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(entry);
        if (log.Length > 0 && log[^1] != '\n')
        {
            throw new FluxException(Errno.EINVAL, "eventlog does not end with a newline");
        }
        return log + entry.ToLine();
    }

    /// <summary>Encodes entries as an eventlog: each entry's <see cref="EventlogEntry.ToLine"/>, concatenated.</summary>
    public static string Format(IEnumerable<EventlogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return string.Concat(entries.Select(e => e.ToLine()));
    }

    private static EventlogEntry Decode(ReadOnlySpan<char> text, int line)
    {
        var where = line > 0 ? $"line {line}: " : "";
        if (text.IsEmpty)
        {
            throw new FluxException(Errno.EINVAL, $"{where}empty line");
        }
        if (text.Contains('\n'))
        {
            throw new FluxException(Errno.EINVAL, $"{where}event contains a newline");
        }
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text.ToString());
        }
        catch (JsonException e)
        {
            throw new FluxException(Errno.EINVAL, $"{where}invalid JSON: {e.Message}", e);
        }
        if (node is not JsonObject o)
        {
            throw new FluxException(Errno.EINVAL, $"{where}event must be a JSON object");
        }
        if (!o.TryGetPropertyValue("timestamp", out var ts) || ts is null)
        {
            throw new FluxException(Errno.EINVAL, $"{where}timestamp is required");
        }
        if (ts.GetValueKind() != JsonValueKind.Number)
        {
            throw new FluxException(Errno.EINVAL, $"{where}timestamp must be a number");
        }
        var timestamp = ts.GetValue<double>();
        if (!(timestamp > 0))
        {
            throw new FluxException(Errno.EINVAL, $"{where}timestamp must be greater than zero");
        }
        if (!o.TryGetPropertyValue("name", out var name) || name is null)
        {
            throw new FluxException(Errno.EINVAL, $"{where}name is required");
        }
        if (name.GetValueKind() != JsonValueKind.String)
        {
            throw new FluxException(Errno.EINVAL, $"{where}name must be a string");
        }
        JsonObject? context = null;
        if (o.TryGetPropertyValue("context", out var ctx))
        {
            context = ctx as JsonObject ?? throw new FluxException(Errno.EINVAL, $"{where}context must be an object");
            o.Remove("context");
        }
        return new EventlogEntry(timestamp, name.GetValue<string>(), context);
    }
}

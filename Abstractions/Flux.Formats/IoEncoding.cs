// RFC 42 io objects ({stream, rank, data?, encoding?, eof?}) as flux-core's libioencode writes and reads them.
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Flux.Abstractions;

namespace Flux.Formats;

/// <summary>
/// ioencode/iodecode of flux-core (src/common/libioencode/ioencode.c): data that is valid UTF-8 goes
/// as a JSON string, anything else base64 with <c>"encoding":"base64"</c>; an io object carries data,
/// <c>eof:true</c>, or both. The subprocess server (rexec) and its client (<c>flux exec</c>) both speak it.
/// </summary>
public static class IoEncoding
{
    /// <summary>The io object for <paramref name="data"/> (may be empty when <paramref name="eof"/>).</summary>
    public static JsonObject Encode(string stream, string rank, ReadOnlySpan<byte> data, bool eof)
    {
        var o = new JsonObject { ["stream"] = stream, ["rank"] = rank };
        if (!data.IsEmpty)
        {
            if (Utf8.IsValid(data))
            {
                o["data"] = Encoding.UTF8.GetString(data);
            }
            else
            {
                o["encoding"] = "base64";
                o["data"] = Convert.ToBase64String(data);
            }
        }
        if (eof)
        {
            o["eof"] = true;
        }
        return o;
    }

    /// <summary>
    /// Decodes an io object as iodecode does: <c>stream</c> and <c>rank</c> strings are required, and
    /// data or eof; EPROTO (saying what is wrong) otherwise.
    /// </summary>
    public static (string Stream, byte[] Data, bool Eof) Decode(JsonNode? io)
    {
        if (io is not JsonObject o)
        {
            throw new FluxException(Errno.EPROTO, "io must be an object {stream, rank, data?, eof?}");
        }
        var stream = StringOf(o, "stream") ?? throw new FluxException(Errno.EPROTO, "io lacks the string 'stream'");
        _ = StringOf(o, "rank") ?? throw new FluxException(Errno.EPROTO, "io lacks the string 'rank'");
        var text = StringOf(o, "data");
        var hasEof = o["eof"] is JsonValue ev && ev.TryGetValue(out bool _);
        if (text is null && !hasEof)
        {
            throw new FluxException(Errno.EPROTO, "io has neither 'data' nor a boolean 'eof'");
        }
        var eof = hasEof && o["eof"]!.GetValue<bool>();
        byte[] data = [];
        if (text is not null)
        {
            if (StringOf(o, "encoding") == "base64")
            {
                try
                {
                    data = Convert.FromBase64String(text);
                }
                catch (FormatException)
                {
                    throw new FluxException(Errno.EPROTO, "io data is not valid base64");
                }
            }
            else
            {
                data = Encoding.UTF8.GetBytes(text);
            }
        }
        return (stream, data, eof);
    }

    private static string? StringOf(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}

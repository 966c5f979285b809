// Follows an RFC 18 eventlog in the KVS through kvs-watch (WATCH_APPEND): yields each event as appended.
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Client.Handle;

namespace Flux.Cli.Jobs;

internal static class EventlogFollower
{
    private const int Watch = 4;
    private const int WaitCreate = 8;
    private const int WatchAppend = 256;

    /// <summary>
    /// Yields the events of <paramref name="key"/> in <paramref name="ns"/>: those already there, then
    /// each one appended, until the caller stops or the stream ends (namespace removed: ENOTSUP).
    /// Without <paramref name="waitCreate"/> a missing key ends it at once with ENOENT.
    /// </summary>
    public static async IAsyncEnumerable<EventlogEntry> FollowAsync(FluxHandle h, string key, string ns, bool waitCreate, [EnumeratorCancellation] CancellationToken ct)
    {
        var req = Message.Request("kvs-watch.lookup", new JsonObject { ["key"] = key, ["namespace"] = ns, ["flags"] = Watch | WatchAppend | (waitCreate ? WaitCreate : 0) });
        var partial = new StringBuilder();
        await foreach (var m in h.StreamAsync(req, ct).ConfigureAwait(false))
        {
            var val = m.GetJson()["val"];
            if (val?["data"]?.GetValue<string>() is not { } b64)
            {
                continue;
            }
            partial.Append(Encoding.UTF8.GetString(Convert.FromBase64String(b64)));
            var text = partial.ToString();
            var last = text.LastIndexOf('\n');
            if (last < 0)
            {
                continue;
            }
            partial.Clear().Append(text, last + 1, text.Length - last - 1);
            foreach (var line in text[..last].Split('\n'))
            {
                if (line.Length > 0)
                {
                    yield return Eventlog.ParseEntry(line + "\n");
                }
            }
        }
    }

    /// <summary>The whole eventlog at a key now, or null when it does not exist.</summary>
    public static async Task<IReadOnlyList<EventlogEntry>?> ReadAsync(FluxHandle h, string key, string ns, CancellationToken ct)
    {
        var text = await Flux.Abstractions.Kvs.KvsExtensions.KvsGetStringAsync(h, key, ns, ct).ConfigureAwait(false);
        return text is null ? null : Eventlog.Parse(text);
    }
}

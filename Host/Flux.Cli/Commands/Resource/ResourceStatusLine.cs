// One line of flux resource status (and of the drain listing), and how flux-core builds and merges them.
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Client.Connectors;

namespace Flux.Cli.Commands;

/// <summary>One line of flux resource status (and of the drain listing).</summary>
internal sealed class ResourceStatusLine(string state, bool online, IdSet ranks, double? timestamp = null, string reason = "")
{
    public static readonly string[] ValidStates = ["all", "online", "avail", "offline", "exclude", "drain", "draining", "drained", "torpid", "allocated", "housekeeping"];
    private const string DefaultStates = "avail,exclude,draining,drained,torpid,housekeeping";

    private static readonly Dictionary<string, string> Headings = new(StringComparer.Ordinal)
    {
        ["state"] = "STATE",
        ["statex"] = "STATE",
        ["nnodes"] = "NNODES",
        ["ranks"] = "RANKS",
        ["nodelist"] = "NODELIST",
        ["reason"] = "REASON",
        ["timestamp"] = "TIME",
        ["status"] = "STATUS",
        ["up"] = "UP",
        ["up.ascii"] = "UP",
        ["color_up"] = "",
        ["color_off"] = "",
    };

    public IdSet Ranks { get; private set; } = ranks;

    public object? Get(string field, Rv1 r) => field switch
    {
        "state" => online ? state : state + "*",
        "statex" => state,
        "status" => online ? "online" : "offline",
        "up" => online ? "✔" : "✗",
        "up.ascii" => online ? "y" : "n",
        "color_up" => online ? "\u001b[01;32m" : "\u001b[01;31m",
        "color_off" => "\u001b[0;0m",
        "nnodes" => Ranks.Count,
        "ranks" => Ranks.Encode(IdSetFormat.Range),
        "nodelist" => r.CopyRanks(Ranks).Nodelist.ToString(),
        "timestamp" => timestamp is { } t ? t : string.Empty,
        "reason" => reason,
        _ => null,
    };

    // flux-core's status(): lines per state and online status, drained ranks one by one (with their
    // timestamp and reason), merged when every field but nnodes, ranks and nodelist prints the same.
    public static async Task RunAsync(ParsedArgs args, string fmt, string? statesOption, bool skipEmpty, CancellationToken ct)
    {
        var states = ResourceOptions.States(statesOption ?? DefaultStates, ValidStates);
        if (!states.Any(s => s is not ("online" or "offline")))
        {
            states.AddRange(DefaultStates.Split(','));
        }
        if (states.Remove("drain"))
        {
            states.AddRange(["draining", "drained"]);
        }
        var formatter = new ResourceOutputFormat(fmt, Headings);
        var color = args.Get("color") ?? "auto";
        if (color is not ("never" or "always" or "auto"))
        {
            throw new FluxException(Errno.EINVAL, $"--color: expected never, always or auto, not '{color}'");
        }
        if (color == "never" || (color == "auto" && Console.IsOutputRedirected))
        {
            formatter = formatter.Without("color_up", "color_off");
        }

        await using var h = await FluxConnect.OpenAsync(null, ct).ConfigureAwait(false);
        var statusTask = h.RpcAsync("resource.status", null, 0, ct);
        var schedTask = h.RpcAsync("sched.resource-status", null, NodeId.Any, ct);
        var rs = await statusTask.ConfigureAwait(false) ?? [];
        var allocated = IdSet.Empty;
        try
        {
            allocated = ResourceViews.ParseR((await schedTask.ConfigureAwait(false))?["allocated"]).Ranks;
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOSYS)
        {
            // No scheduler: nothing is allocated.
        }
        var r = ResourceViews.ParseR(rs["R"]);
        var all = r.Ranks;
        if (ResourceOptions.Queues(args) is { Count: > 0 } names)
        {
            JsonObject? config = (await h.RpcAsync("config.get", null, NodeId.Any, ct).ConfigureAwait(false))?["config"] as JsonObject;
            all = all.Intersect(ResourceQueues.From(config).RanksOf(r, names));
        }
        if (args.Get("include") is { } include)
        {
            all = all.Intersect(ResourceViews.Include(r, include));
        }
        var drainInfo = new SortedDictionary<uint, (double Timestamp, string Reason)>();
        if ((rs["drained"] ?? rs["drain"]) is JsonObject drained)
        {
            foreach (var (ids, info) in drained)
            {
                var ts = info?["timestamp"] is JsonValue tv && tv.TryGetValue(out double d) ? d : 0;
                var why = info?["reason"]?.GetValue<string>() ?? string.Empty;
                foreach (var rank in IdSet.Parse(ids).Intersect(all))
                {
                    drainInfo[rank] = (ts, why);
                }
            }
        }
        IdSet Ids(string key) => rs[key] is JsonValue v && v.TryGetValue(out string? s) ? IdSet.Parse(s).Intersect(all) : IdSet.Empty;
        var drainedAll = new IdSet(drainInfo.Keys);
        var exclude = Ids("exclude");
        allocated = allocated.Intersect(all);
        var sets = new Dictionary<string, IdSet>(StringComparer.Ordinal)
        {
            ["online"] = Ids("online"),
            ["offline"] = Ids("offline"),
            ["exclude"] = exclude,
            ["avail"] = all.Subtract(exclude).Subtract(drainedAll),
            ["allocated"] = allocated,
            ["draining"] = drainedAll.Intersect(allocated),
            ["drained"] = drainedAll.Subtract(allocated),
            ["torpid"] = IdSet.Empty,
            ["housekeeping"] = IdSet.Empty,
        };

        var includeOnline = states.Contains("online") || !states.Contains("offline");
        var includeOffline = states.Contains("offline") || !states.Contains("online");
        var skipEmptyOffline = !states.Contains("offline");
        var wanted = (string s) => states.Contains(s) || states.Contains("all");
        var lines = new List<(ResourceStatusLine Line, bool Online)>();
        var keys = new Dictionary<string, ResourceStatusLine>(StringComparer.Ordinal);
        void Append(ResourceStatusLine line, bool isOnline)
        {
            var key = formatter.Key((f) => line.Get(f, r), ["nodelist", "ranks", "nnodes"]);
            if (keys.TryGetValue(key, out var have))
            {
                have.Ranks = have.Ranks.Union(line.Ranks);
                return;
            }
            keys[key] = line;
            lines.Add((line, isOnline));
        }
        foreach (var state in (string[])["avail", "exclude", "allocated", "torpid", "housekeeping"])
        {
            if (!wanted(state))
            {
                continue;
            }
            foreach (var isOnline in (bool[])[true, false])
            {
                if (isOnline ? !includeOnline : !includeOffline)
                {
                    continue;
                }
                Append(new ResourceStatusLine(state, isOnline, sets[state].Intersect(sets[isOnline ? "online" : "offline"])), isOnline);
            }
        }
        foreach (var state in (string[])["draining", "drained"])
        {
            if (!wanted(state))
            {
                continue;
            }
            if (sets[state].IsEmpty && includeOnline)
            {
                Append(new ResourceStatusLine(state, true, IdSet.Empty), true);
            }
            foreach (var rank in sets[state])
            {
                var isOnline = sets["online"].Contains(rank);
                if (isOnline ? !includeOnline : !includeOffline)
                {
                    continue;
                }
                var (ts, why) = drainInfo[rank];
                Append(new ResourceStatusLine(state, isOnline, IdSet.FromRange(rank, rank), ts, why), isOnline);
            }
        }
        var shown = lines.Where(l => !(l.Line.Ranks.IsEmpty && (skipEmpty || (!l.Online && skipEmptyOffline)))).Select(l => l.Line).ToList();
        formatter.Print(shown, (line, f) => line.Get(f, r), args.Has("no-header"), Console.Out);
    }
}

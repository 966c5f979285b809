// flux resource list|info|R|status|drain|undrain: the scheduler's (RFC 27) and the resource service's (RFC 28) views of R (RFC 20).
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Cli.Jobs;
using Flux.Client.Connectors;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

internal sealed class ResourceListCommand : Command
{
    private static readonly string[] ValidStates = ["up", "down", "allocated", "free", "all"];

    public override string Name => "resource list";

    public override string Summary => "Show the scheduler view of resources: free, allocated and down nodes, cores and GPUs.";

    public override string Usage => "[-n] [-o FORMAT] [-s STATES] [-q QUEUE] [-i TARGETS]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("states", 's', "STATE,...", "Output resources in given states (up, down, allocated, free, all); default free,allocated,down."),
        new("format", 'o', "FORMAT", "Output format: a name (default, rlist) or a format string with fields {state} {queue} {properties} {propertiesx} {nnodes} {ncores} {ngpus} {ranks} {nodelist} {rlist}."),
        new("no-header", 'n', null, "Suppress header output."),
        new("queue", 'q', "QUEUE,...", "Include only resources of these queues.", Repeatable: true),
        new("include", 'i', "TARGETS", "Include only these ranks (idset) or hosts (hostlist)."),
        new("skip-empty", null, null, "Skip empty lines (the default with --include)."),
        new("no-skip-empty", null, null, "Do not skip empty lines, even with --include."),
    ];

    public override string Details => """
        Lines are merged when every field other than the counts, ranks and node names is the same.
        A queue's name is left out of the PROPERTIES column of that queue's lines. Examples:
          flux resource list
          flux resource list -o rlist
          flux resource list -s all -no {nnodes}
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var states = ResourceViews.States(args.Get("states") ?? "free,allocated,down", ValidStates);
        var fmt = ResourceViews.FormatString(args.Get("format"), "FLUX_RESOURCE_LIST_FORMAT_DEFAULT", new Dictionary<string, string>
        {
            ["default"] = "{state:>10} ?+:{queue:<5} ?:{propertiesx:<10.10+} {nnodes:>6} +:{ncores:>6} ?+:{ngpus:>5} {nodelist}",
            ["rlist"] = "{state:>10} ?+:{queue:<5} ?:{propertiesx:<10.10+} {nnodes:>6} +:{ncores:>6} ?+:{ngpus:>5} {rlist}",
        });
        var formatter = new ResourceOutputFormat(fmt, ResourceListRow.Headings);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var (view, queues) = await ResourceViews.SchedViewAsync(h, args, ct).ConfigureAwait(false);
        var rows = ResourceListRow.Lines(view, states, formatter, queues, ResourceViews.Queues(args));
        if (args.Has("skip-empty") || (args.Has("include") && !args.Has("no-skip-empty")))
        {
            rows = [.. rows.Where(r => r.Set.NodeCount > 0)];
        }
        formatter.Print(rows, (r, f) => r.Get(f), args.Has("no-header"), Console.Out);
        return 0;
    }
}

internal sealed class ResourceInfoCommand : Command
{
    public override string Name => "resource info";

    public override string Summary => "Show a one-line summary of the scheduler view: N Nodes, C Cores, G GPUs.";

    public override string Usage => "[-s STATES] [-q QUEUE] [-i TARGETS]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("states", 's', "STATE,...", "Count resources in these states (default all)."),
        new("queue", 'q', "QUEUE,...", "Include only resources of these queues.", Repeatable: true),
        new("include", 'i', "TARGETS", "Include only these ranks (idset) or hosts (hostlist)."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var states = ResourceViews.SchedStates(args);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var set = await ResourceViews.SchedSelectionAsync(h, args, states, ct).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{set.NodeCount} Nodes, {set.CoreCount} Cores, {set.GpuCount} GPUs"));
        return 0;
    }
}

internal sealed class ResourceRCommand : Command
{
    public override string Name => "resource R";

    public override string Summary => "Print the scheduler view of resources as RFC 20 R.";

    public override string Usage => "[-s STATES] [-q QUEUE] [-i TARGETS]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("states", 's', "STATE,...", "Include resources in these states (default all)."),
        new("queue", 'q', "QUEUE,...", "Include only resources of these queues.", Repeatable: true),
        new("include", 'i', "TARGETS", "Include only these ranks (idset) or hosts (hostlist)."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var states = ResourceViews.SchedStates(args);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        Console.WriteLine((await ResourceViews.SchedSelectionAsync(h, args, states, ct).ConfigureAwait(false)).ToString());
        return 0;
    }
}

internal sealed class ResourceStatusCommand : Command
{
    public override string Name => "resource status";

    public override string Summary => "Show the system view of resources: available, excluded, draining, drained, offline nodes.";

    public override string Usage => "[-n] [-o FORMAT] [-s STATES] [-q QUEUE] [-i TARGETS] [--skip-empty]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("states", 's', "STATE,...", "States to show: " + string.Join(",", ResourceStatusLine.ValidStates) + " (help lists them)."),
        new("format", 'o', "FORMAT", "Output format: a name (default, long) or a format string with fields {state} {statex} {status} {up} {up.ascii} {nnodes} {ranks} {nodelist} {timestamp} {reason}."),
        new("no-header", 'n', null, "Suppress header output."),
        new("queue", 'q', "QUEUE,...", "Include only resources of these queues.", Repeatable: true),
        new("include", 'i', "TARGETS", "Include only these ranks (idset) or hosts (hostlist)."),
        new("skip-empty", null, null, "Skip empty lines even with --states."),
        new("color", 'L', "WHEN", "Color the UP column: never, always or auto (default)."),
    ];

    public override string Details => """
        This build runs one broker, so every node of R is online. draining means drained but still
        allocated to a job; drained means drained and idle. Examples:
          flux resource status
          flux resource status -s all -no {nodelist}
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        if (args.Get("states") == "help")
        {
            await Console.Error.WriteLineAsync("flux-resource: valid states: " + string.Join(",", ResourceStatusLine.ValidStates)).ConfigureAwait(false);
            return 0;
        }
        var fmt = ResourceViews.FormatString(args.Get("format"), "FLUX_RESOURCE_STATUS_FORMAT_DEFAULT", new Dictionary<string, string>
        {
            ["default"] = "{state:>12} {color_up}{up:>2}{color_off} {nnodes:>6} {nodelist}",
            ["long"] = "{state:>12} {color_up}{up:>2}{color_off} {nnodes:>6} +:{reason:<30.30} {nodelist}",
        });
        await ResourceStatusLine.RunAsync(args, fmt, args.Get("states"), args.Has("skip-empty") || args.Get("states") is null, ct).ConfigureAwait(false);
        return 0;
    }
}

internal sealed class ResourceDrainCommand : Command
{
    public override string Name => "resource drain";

    public override string Summary => "Drain nodes (take them away from the scheduler), or list drained nodes.";

    public override string Usage => "[-f] [-u] [TARGETS [REASON...]]";

    public override bool StopAtPositional => true;

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("force", 'f', null, "Overwrite the reason of nodes already drained; twice: also their timestamp.", Repeatable: true),
        new("update", 'u', null, "Do not fail for nodes already drained and keep their reason and timestamp."),
        new("format", 'o', "FORMAT", "Listing format: a name (default, long) or a format string (see flux resource status)."),
        new("no-header", 'n', null, "Suppress header output when listing."),
        new("queue", 'q', "QUEUE,...", "List only resources of these queues.", Repeatable: true),
        new("include", 'i', "TARGETS", "List only these ranks (idset) or hosts (hostlist)."),
        new("color", 'L', "WHEN", "Color output: never, always or auto (default)."),
    ];

    public override string Details => """
        TARGETS is an idset of ranks ("0-1"), a hostlist of node names ("node[1-2]") or "all". Drained
        nodes keep running their jobs but get no new ones; drain state survives a restart when the
        kvs module is loaded. Examples:
          flux resource drain 1 bad memory
          flux resource drain
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        if (args.Positionals.Count == 0)
        {
            var fmt = ResourceViews.FormatString(args.Get("format"), "FLUX_RESOURCE_DRAIN_FORMAT_DEFAULT", new Dictionary<string, string>
            {
                ["default"] = "{timestamp!d:%b%d %R::<12} {state:<8.8} {reason:<30.30+} {nodelist}",
                ["long"] = "{timestamp!d:%b%d %R::<12} {state:<8.8} {ranks:<8.8+} +:{reason:<30.30} {nodelist}",
            });
            await ResourceStatusLine.RunAsync(args, fmt, "drain", skipEmpty: true, ct).ConfigureAwait(false);
            return 0;
        }
        var force = args.GetAll("force").Count;
        if (force > 0 && args.Has("update"))
        {
            throw Invalid("Only one of --force and --update may be specified");
        }
        var payload = new JsonObject { ["targets"] = args.Positionals[0] };
        if (args.Has("update"))
        {
            payload["mode"] = "update";
        }
        else if (force > 0)
        {
            payload["mode"] = force == 1 ? "overwrite" : "force-overwrite";
        }
        if (args.Positionals.Count > 1)
        {
            payload["reason"] = string.Join(' ', args.Positionals.Skip(1));
        }
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        try
        {
            await h.RpcAsync("resource.drain", payload, 0, ct).ConfigureAwait(false);
        }
        catch (FluxException ex)
        {
            await Console.Error.WriteLineAsync($"{Prog}: drain: {ex.Message}").ConfigureAwait(false);
            if (ex.Errnum == Errno.EEXIST)
            {
                await Console.Error.WriteLineAsync($"{Prog}: Use --force to overwrite existing drain reason").ConfigureAwait(false);
            }
            return 1;
        }
        return 0;
    }
}

internal sealed class ResourceUndrainCommand : Command
{
    public override string Name => "resource undrain";

    public override string Summary => "Return drained nodes to the scheduler.";

    public override string Usage => "[-f] TARGETS [REASON...]";

    public override bool StopAtPositional => true;

    public override IReadOnlyList<OptionSpec> Options => [new("force", 'f', null, "Do not fail if some targets are not drained.")];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var payload = new JsonObject { ["targets"] = args.Positionals[0] };
        if (args.Has("force"))
        {
            payload["mode"] = "force";
        }
        if (args.Positionals.Count > 1)
        {
            payload["reason"] = string.Join(' ', args.Positionals.Skip(1));
        }
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        try
        {
            await h.RpcAsync("resource.undrain", payload, 0, ct).ConfigureAwait(false);
        }
        catch (FluxException ex)
        {
            await Console.Error.WriteLineAsync($"{Prog}: undrain: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        return 0;
    }
}

/// <summary>Fetching and filtering the two views of resources; option helpers shared by the commands.</summary>
internal static class ResourceViews
{
    public static List<string> States(string text, string[] valid)
    {
        var states = text.Split(',').ToList();
        foreach (var s in states.Where(s => Array.IndexOf(valid, s) < 0))
        {
            throw new FluxException(Errno.EINVAL, $"Invalid resource state {s} specified (valid states: {string.Join(",", valid)})");
        }
        return states;
    }

    public static IReadOnlyList<string> Queues(ParsedArgs args) =>
        [.. args.GetAll("queue").SelectMany(q => q.Split(',', StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal)];

    // A builtin format by name, a format string, or the environment's default.
    public static string FormatString(string? option, string envDefault, Dictionary<string, string> builtin)
    {
        var name = option ?? Environment.GetEnvironmentVariable(envDefault) ?? "default";
        if (builtin.TryGetValue(name, out var fmt))
        {
            return fmt;
        }
        return name.Contains('{', StringComparison.Ordinal)
            ? name
            : throw new FluxException(Errno.EINVAL, $"--format: unknown format name '{name}' (builtin formats: {string.Join(", ", builtin.Keys)})");
    }

    // sched.resource-status plus the [queues] config, filtered by --queue and --include.
    /// <summary>The scheduler-view states of <c>--states</c> (up, down, allocated, free, all; default all), checked.</summary>
    public static IReadOnlyList<string> SchedStates(ParsedArgs args) => States(args.Get("states") ?? "all", ["up", "down", "allocated", "free", "all"]);

    /// <summary>
    /// The union of those states of the scheduler view after <c>--queue</c> and <c>--include</c>:
    /// what flux resource info counts and flux resource R prints.
    /// </summary>
    public static async Task<Rv1> SchedSelectionAsync(FluxHandle h, ParsedArgs args, IReadOnlyList<string> states, CancellationToken ct)
    {
        var (view, _) = await SchedViewAsync(h, args, ct).ConfigureAwait(false);
        return states.Select(s => view[s]).Aggregate(Rv1.Empty, (a, b) => a.Union(b));
    }

    public static async Task<(ResourceSchedView View, ResourceQueues Queues)> SchedViewAsync(FluxHandle h, ParsedArgs args, CancellationToken ct)
    {
        var statusTask = h.RpcAsync("sched.resource-status", null, NodeId.Any, ct);
        var configTask = h.RpcAsync("config.get", null, NodeId.Any, ct);
        JsonObject? status;
        try
        {
            status = await statusTask.ConfigureAwait(false);
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOSYS)
        {
            throw new FluxException(Errno.ENOSYS, "the scheduler is not loaded (sched.resource-status: Function not implemented)");
        }
        JsonObject? config = null;
        try
        {
            config = (await configTask.ConfigureAwait(false))?["config"] as JsonObject;
        }
        catch (FluxException ex)
        {
            await Console.Error.WriteLineAsync($"flux-resource: WARNING: Could not get flux config: {ex.Message}").ConfigureAwait(false);
        }
        var view = new ResourceSchedView(status ?? []);
        var queues = ResourceQueues.From(config);
        if (Queues(args) is { Count: > 0 } names)
        {
            view.Filter(queues.RanksOf(view.All, names));
        }
        if (args.Get("include") is { } include)
        {
            view.Filter(Include(view.All, include));
        }
        return (view, queues);
    }

    // --include: ranks (idset) or hosts (hostlist); names that do not exist are not an error.
    public static IdSet Include(Rv1 all, string targets)
    {
        if (IdSet.TryParse(targets, out var ids))
        {
            return ids;
        }
        if (Hostlist.TryParse(targets, out var hosts))
        {
            return new IdSet(all.Nodes.Where(n => n.Hostname is not null && hosts.Contains(n.Hostname)).Select(n => n.Rank));
        }
        throw new FluxException(Errno.EINVAL, $"--include: invalid targets '{targets}': expected an idset or a hostlist");
    }

    public static Rv1 ParseR(JsonNode? node) => node is JsonObject o ? Rv1.Parse(o) : Rv1.Empty;
}

/// <summary>The scheduler view (sched.resource-status): all, down, allocated, and derived up and free.</summary>
internal sealed class ResourceSchedView
{
    public ResourceSchedView(JsonObject status)
    {
        All = ResourceViews.ParseR(status["all"]);
        Down = ResourceViews.ParseR(status["down"]);
        Allocated = ResourceViews.ParseR(status["allocated"]);
    }

    public Rv1 All { get; private set; }

    public Rv1 Down { get; private set; }

    public Rv1 Allocated { get; private set; }

    public Rv1 Up => All.Subtract(Down);

    public Rv1 Free => Up.Subtract(Allocated);

    public Rv1 this[string state] => state switch
    {
        "all" => All,
        "down" => Down,
        "allocated" => Allocated,
        "up" => Up,
        _ => Free,
    };

    public void Filter(IdSet ranks)
    {
        All = All.CopyRanks(ranks);
        Down = Down.CopyRanks(ranks);
        Allocated = Allocated.CopyRanks(ranks);
    }
}

/// <summary>The [queues] table (RFC 33): each queue's required properties.</summary>
internal sealed class ResourceQueues
{
    private ResourceQueues(List<(string Name, IReadOnlyList<string>? Requires)> queues)
    {
        Names = queues;
    }

    public IReadOnlyList<(string Name, IReadOnlyList<string>? Requires)> Names { get; }

    public static ResourceQueues From(JsonObject? config)
    {
        var list = new List<(string, IReadOnlyList<string>?)>();
        if (config?["queues"] is JsonObject queues)
        {
            foreach (var (name, q) in queues)
            {
                var requires = q?["requires"] is JsonArray a ? a.Select(p => p?.GetValue<string>() ?? string.Empty).ToList() : null;
                list.Add((name, requires));
            }
        }
        return new ResourceQueues(list);
    }

    // The queues whose requirements a set of properties meets (all queues without requires).
    public IEnumerable<string> QueuesOf(IReadOnlyCollection<string> properties) =>
        Names.Where(q => q.Requires is null || q.Requires.All(properties.Contains)).Select(q => q.Name);

    public IdSet RanksOf(Rv1 all, IReadOnlyList<string> names)
    {
        var ranks = IdSet.Empty;
        foreach (var name in names)
        {
            var q = Names.FirstOrDefault(x => x.Name == name);
            if (q.Name is null)
            {
                throw new FluxException(Errno.EINVAL, $"--queue: {name}: no such queue");
            }
            ranks = ranks.Union(new IdSet(all.Nodes.Where(n => q.Requires is null || q.Requires.All(n.Properties.Contains)).Select(n => n.Rank)));
        }
        return ranks;
    }
}

/// <summary>One line of flux resource list: a state and the resources in it with one set of properties.</summary>
internal sealed class ResourceListRow(string state, Rv1 set, string? queue, ResourceQueues queues)
{
    private static readonly string[] UniqFields = ["state", "properties", "propertiesx", "queue"];

    public static Dictionary<string, string> Headings { get; } = new(StringComparer.Ordinal)
    {
        ["state"] = "STATE",
        ["queue"] = "QUEUE",
        ["properties"] = "PROPERTIES",
        ["propertiesx"] = "PROPERTIES",
        ["nnodes"] = "NNODES",
        ["ncores"] = "NCORES",
        ["ngpus"] = "NGPUS",
        ["ranks"] = "RANKS",
        ["nodelist"] = "NODELIST",
        ["rlist"] = "LIST",
    };

    public string State { get; } = state;

    public Rv1 Set { get; private set; } = set;

    private IReadOnlyCollection<string> PropertyNames => [.. Set.Properties.Keys];

    private string Queue => queue ?? (Set.NodeCount == 0 ? string.Empty : string.Join(',', queues.QueuesOf(PropertyNames)));

    public object? Get(string field) => field switch
    {
        "state" => State,
        "queue" => Queue,
        "properties" => string.Join(',', PropertyNames),
        "propertiesx" => string.Join(',', PropertyNames.Except(Queue.Split(','), StringComparer.Ordinal)),
        "nnodes" => (long)Set.NodeCount,
        "ncores" => (long)Set.CoreCount,
        "ngpus" => (long)Set.GpuCount,
        "ranks" => Set.Ranks.Encode(IdSetFormat.Range),
        "nodelist" => Set.Nodelist.ToString(),
        "rlist" => Set.ToShortString(),
        _ => null,
    };

    // flux-core's resources_uniq_lines(): per state, ranks split by their exact property sets, and
    // lines whose state/properties/queue fields print the same merged; sorted by state, then first rank.
    public static List<ResourceListRow> Lines(ResourceSchedView view, List<string> states, ResourceOutputFormat formatter, ResourceQueues queues, IReadOnlyList<string> queueFilter)
    {
        var fields = formatter.Fields.Distinct().ToList();
        var keyFields = fields.Count > 1 || fields.Contains("state") ? fields.Where(f => Array.IndexOf(UniqFields, f) >= 0).ToList() : [];
        var emptyQueues = queueFilter.Count > 0 ? queueFilter.Select(q => (string?)q).ToList()
            : queues.Names.Count > 0 ? queues.Names.Select(q => (string?)q.Name).ToList()
            : [null];
        var lines = new Dictionary<string, ResourceListRow>(StringComparer.Ordinal);
        var order = new List<ResourceListRow>();
        void Add(ResourceListRow row)
        {
            var key = string.Join(':', keyFields.Select(f => Convert.ToString(row.Get(f), CultureInfo.InvariantCulture)));
            if (lines.TryGetValue(key, out var have))
            {
                have.Set = have.Set.Union(row.Set);
                return;
            }
            lines[key] = row;
            order.Add(row);
        }
        foreach (var state in states)
        {
            var set = view[state];
            if (set.NodeCount == 0)
            {
                foreach (var q in emptyQueues)
                {
                    Add(new ResourceListRow(state, Rv1.Empty, q ?? string.Empty, queues));
                }
                continue;
            }
            foreach (var group in set.Nodes.GroupBy(n => string.Join('\u0001', n.Properties), StringComparer.Ordinal))
            {
                Add(new ResourceListRow(state, set.CopyRanks(new IdSet(group.Select(n => n.Rank))), null, queues));
            }
        }
        return [.. order.OrderBy(r => states.IndexOf(r.State)).ThenBy(r => r.Set.Ranks.First() ?? uint.MaxValue)];
    }
}

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
        var states = ResourceViews.States(statesOption ?? DefaultStates, ValidStates);
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
        if (ResourceViews.Queues(args) is { Count: > 0 } names)
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

/// <summary>
/// The output formats of flux-core's Python tools (flux.util.OutputFormat) over
/// <see cref="PyFormat"/>: Python format fields <c>{name!conv:spec}</c>, the Flux spec suffixes
/// <c>+</c> (mark truncation) and <c>h</c> (dash when empty), <c>!d:STRFTIME::SPEC</c> (local date),
/// and the column prefixes <c>?:</c> (drop the column when empty everywhere), <c>+:</c> (widen it to
/// the longest value) and <c>?+:</c> (both). Bad formats are EINVAL errors.
/// </summary>
internal sealed class ResourceOutputFormat
{
    private static readonly string[] Sentinels = ["?+:", "+:", "?:"];
    private static readonly string[] EmptyOutputs = ["", "0s", "0.0", "0:00:00", "1970-01-01T00:00:00"];
    private readonly List<PyFormat.Part> _parts;
    private readonly IReadOnlyDictionary<string, string> _headings;

    public ResourceOutputFormat(string format, IReadOnlyDictionary<string, string> headings)
        : this(Parse(format), headings)
    {
        foreach (var f in Fields.Where(f => !headings.ContainsKey(f)))
        {
            throw new FluxException(Errno.EINVAL, "Unknown format field: " + f);
        }
    }

    private ResourceOutputFormat(List<PyFormat.Part> parts, IReadOnlyDictionary<string, string> headings)
    {
        _parts = parts;
        _headings = headings;
    }

    public IEnumerable<string> Fields => _parts.Where(t => t.Field is not null).Select(t => t.Field!);

    /// <summary>A copy without some fields (the text before them stays).</summary>
    public ResourceOutputFormat Without(params string[] fields) =>
        new([.. _parts.Select(t => t.Field is not null && fields.Contains(t.Field) ? t with { Field = null, Conversion = null, Spec = "" } : t)], _headings);

    /// <summary>What an item prints as in every field but <paramref name="except"/> (for merging like lines).</summary>
    public string Key(Func<string, object?> get, string[] except)
    {
        var sb = new StringBuilder();
        foreach (var t in _parts.Where(t => t.Field is not null && !except.Contains(t.Field)))
        {
            sb.Append(FormatField(get(t.Field!), t.Conversion, t.Text.EndsWith("+:", StringComparison.Ordinal) ? "" : t.Spec)).Append('\u0001');
        }
        return sb.ToString();
    }

    public void Print<T>(IReadOnlyList<T> items, Func<T, string, object?> get, bool noHeader, TextWriter w)
    {
        var parts = Filter(items, get, noHeader);
        if (!noHeader)
        {
            var header = new StringBuilder();
            foreach (var t in parts)
            {
                header.Append(t.Text);
                if (t.Field is not null)
                {
                    // Only the alignment and width of a field apply to its heading.
                    var spec = ParseSpec(t.Spec).Spec;
                    header.Append(Apply(_headings.GetValueOrDefault(t.Field, ""), $"{spec.Align}{spec.Width}"));
                }
            }
            w.WriteLine(header.ToString());
        }
        foreach (var item in items)
        {
            var line = new StringBuilder();
            foreach (var t in parts)
            {
                line.Append(t.Text);
                if (t.Field is not null)
                {
                    line.Append(FormatField(get(item, t.Field), t.Conversion, t.Spec));
                }
            }
            var s = line.ToString();
            if (!string.IsNullOrWhiteSpace(s))
            {
                w.WriteLine(s);
            }
        }
    }

    // flux-core's OutputFormat.filter(): apply the ?: +: ?+: column prefixes over all items.
    private List<PyFormat.Part> Filter<T>(IReadOnlyList<T> items, Func<T, string, object?> get, bool noHeader)
    {
        var result = new List<PyFormat.Part>();
        foreach (var t in _parts)
        {
            var sentinel = t.Field is null ? null : Sentinels.FirstOrDefault(s => t.Text.EndsWith(s, StringComparison.Ordinal));
            if (sentinel is null)
            {
                result.Add(t);
                continue;
            }
            var (spec, suffix) = ParseSpec(t.Spec);
            var maxWidth = spec.Width ?? 0;
            if (sentinel != "?:")
            {
                maxWidth = Math.Max(maxWidth, noHeader ? 0 : _headings.GetValueOrDefault(t.Field!, "").Length);
            }
            var width = 0;
            foreach (var item in items)
            {
                var s = FormatField(get(item, t.Field!), t.Conversion, "");
                var n = EmptyOutputs.Contains(s) ? 0 : s.Length;
                maxWidth = Math.Max(maxWidth, n);
                width = Math.Max(width, n);
            }
            if (width == 0 && sentinel != "+:")
            {
                // The whole column goes, with the text before it.
                continue;
            }
            var text = t.Text[..^sentinel.Length];
            if (sentinel == "?:")
            {
                result.Add(t with { Text = text });
                continue;
            }
            // As flux-core: widening a string field also widens a narrower precision.
            if (spec.Type is null or 's' && spec.Precision is { } p && p < maxWidth)
            {
                spec = spec with { Precision = maxWidth };
            }
            result.Add(t with { Text = text, Spec = spec.Render(maxWidth) + suffix });
        }
        return result;
    }

    private static string FormatField(object? value, string? conversion, string spec)
    {
        if (conversion == "d")
        {
            var seconds = value switch { double d => d, long l => l, int i => i, _ => 0.0 };
            var parts = spec.Split("::", 2);
            var text = seconds == 0 ? "" : PyTime.Strftime(PyTime.Local(seconds), parts[0].Length > 0 ? parts[0] : "%FT%T");
            var rest = parts.Length > 1 ? parts[1] : "";
            if (rest.EndsWith('h'))
            {
                text = text.Length == 0 ? "-" : text;
                rest = rest[..^1] + "s";
            }
            return rest.Length > 0 ? Apply(text, rest) : text;
        }
        if (conversion is not null)
        {
            throw new FluxException(Errno.EINVAL, $"Unknown conversion specifier {conversion}");
        }
        return Apply(value, spec);
    }

    // format(value, spec) plus the Flux suffixes: h (dash for an empty value), W (wide), + (mark truncation).
    private static string Apply(object? value, string spec)
    {
        var mark = spec.EndsWith('+');
        if (mark)
        {
            spec = spec[..^1];
        }
        var plain = PyFormat.Str(value);
        if (spec.EndsWith('h'))
        {
            value = EmptyOutputs.Contains(plain) ? "-" : plain;
            spec = spec[..^1] + "s";
        }
        if (spec.EndsWith('W'))
        {
            spec = spec[..^1] + "s";
        }
        string s;
        try
        {
            s = PyFormat.FormatValue(value, spec);
        }
        catch (FormatException ex)
        {
            throw new FluxException(Errno.EINVAL, ex.Message, ex);
        }
        return mark && s.Length < plain.Length && s.Length > 0 ? s[..^1] + "+" : s;
    }

    // A field's spec without a strftime part (before "::") and without the Flux suffixes h, W and +.
    private static (PyFormat.Spec Spec, string Suffix) ParseSpec(string spec)
    {
        var dc = spec.IndexOf("::", StringComparison.Ordinal);
        if (dc >= 0)
        {
            spec = spec[(dc + 2)..];
        }
        var core = spec.TrimEnd('h', 'W', '+');
        try
        {
            return (PyFormat.Spec.Parse(core), spec[core.Length..]);
        }
        catch (FormatException ex)
        {
            throw new FluxException(Errno.EINVAL, ex.Message, ex);
        }
    }

    private static List<PyFormat.Part> Parse(string format)
    {
        try
        {
            return [.. PyFormat.Parse(format).Select(p => p.Field is { } f && f.StartsWith("0.", StringComparison.Ordinal) ? p with { Field = f[2..] } : p)];
        }
        catch (FormatException ex)
        {
            throw new FluxException(Errno.EINVAL, $"invalid format '{format}': {ex.Message}", ex);
        }
    }
}

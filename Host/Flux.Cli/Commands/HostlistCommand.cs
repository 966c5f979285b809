// flux hostlist: combine, filter and print RFC 29 hostlists given as arguments or on stdin.
using System.Globalization;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class HostlistCommand : Command
{
    // Sources flux-core resolves by asking the enclosing instance (flux-hostlist.py result_types).
    private static readonly string[] InstanceSources = ["instance", "local", "avail", "available"];

    public override string Name => "hostlist";

    public override string Summary => "Combine, filter and print hostlists (RFC 29) from arguments or stdin.";

    public override string Usage => "[OPTIONS] [SOURCES...]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("expand", 'e', null, "Print every host, separated by the delimiter."),
        new("delimiter", 'd', "S", "Delimiter for --expand (default ' '; '\\n' means newline)."),
        new("count", 'c', null, "Print the number of hosts instead of the hosts."),
        new("nth", 'n', "[-]IDS", "Keep only the hosts at indices in idset IDS (-IDS counts from the end, -1 is the last)."),
        new("find", 'F', "HOSTS", "Print the indices of HOSTS in the result; fails if one is missing."),
        new("limit", 'L', "N", "Keep at most the first N hosts (-N: the last N)."),
        new("sort", 'S', null, "Sort the result."),
        new("exclude", 'x', "HOSTS|IDS", "Remove every occurrence of HOSTS, or else the hosts at indices IDS."),
        new("union", 'u', null, "Keep each host once (sorts); alone, the union of all SOURCES."),
        new("unique", null, null, "Same as --union."),
        new("intersect", 'i', null, "The hosts in every SOURCE."),
        new("minus", 'm', null, "The first SOURCE without the hosts of the others."),
        new("xor", 'X', null, "The hosts in exactly one of the SOURCES (symmetric difference)."),
        new("fallback", 'f', null, "Treat an argument that looks like a job ID (f1, fuzzy) as a host name."),
        new("local", 'l', null, "Make 'local' the default source (needs a running instance)."),
        new("quiet", 'q', null, "Print nothing; exit 1 if the result is empty."),
    ];

    public override string Details => """
        SOURCES are hostlists such as 'node[1-4,7]', or 'stdin' / '-' to read one hostlist per line
        from stdin (the default when there are none). Without a set operation the SOURCES are
        concatenated in order, repeats kept. Then --exclude, --sort, --union, --limit and --nth
        apply, in that order.

        The sources 'instance' (the instance's hosts), 'local' (inside a job, the job's nodes; else
        the instance's), 'avail[able]' (hosts up and not drained or excluded) and job IDs (a job's
        nodes) ask the running instance (FLUX_URI). An argument that parses as a job ID (a number,
        or 'f' followed by base58 letters, like 'foo1') is looked up as a job; with -f/--fallback a
        word that is not a job there is taken as a host name.

        Examples:
          flux hostlist -e 'test[1-3,5]'
          flux hostlist --minus 'node[1-8]' node3 node5
          flux hostlist -n -1 'node[1-8]'
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        CheckExclusive(args, "expand", "count");
        CheckExclusive(args, "intersect", "minus", "xor");
        var limit = args.Has("limit") ? ParseLimit(args.Get("limit")!) : 0;
        var excludeArg = args.Get("exclude");
        if (excludeArg is not null && !Hostlist.TryParse(excludeArg, out _))
        {
            throw new UsageException($"--exclude: invalid hostlist '{excludeArg}'");
        }
        IReadOnlyList<string> sources = args.Positionals.Count > 0 ? args.Positionals : [args.Has("local") ? "local" : "stdin"];
        var lists = new List<Hostlist>();
        foreach (var source in sources)
        {
            lists.Add(await ResolveAsync(source, args.Has("fallback"), ct).ConfigureAwait(false));
        }

        var hl = Combine(args, lists);
        if (excludeArg is not null)
        {
            hl = Exclude(hl, excludeArg);
        }
        if (args.Has("sort"))
        {
            hl = hl.Sort();
        }
        if (args.Has("union") || args.Has("unique"))
        {
            hl = hl.Uniq();
        }
        if (limit > 0)
        {
            hl = new Hostlist(hl.Take(limit));
        }
        else if (limit < 0)
        {
            hl = new Hostlist(hl.Skip(Math.Max(0, hl.Count + limit)));
        }
        if (args.Get("nth") is { } nth)
        {
            hl = Nth(hl, nth);
        }

        string? output = null;
        if (args.Get("find") is { } find)
        {
            output = string.Join(' ', Find(hl, find));
        }
        else if (args.Has("count"))
        {
            output = hl.Count.ToString(CultureInfo.InvariantCulture);
        }
        else if (!hl.IsEmpty)
        {
            output = args.Has("expand")
                ? string.Join((args.Get("delimiter") ?? " ").Replace("\\n", "\n", StringComparison.Ordinal), hl)
                : hl.ToString();
        }
        if (args.Has("quiet"))
        {
            return hl.IsEmpty ? 1 : 0;
        }
        if (output is not null)
        {
            Console.WriteLine(output);
        }
        return 0;
    }

    private static void CheckExclusive(ParsedArgs args, params string[] names)
    {
        var given = names.Where(args.Has).ToList();
        if (given.Count > 1)
        {
            throw new UsageException($"--{given[0]} and --{given[1]} cannot be used together");
        }
    }

    private static int ParseLimit(string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new UsageException($"--limit: expected an integer, got '{value}'");

    private static async Task<Hostlist> ResolveAsync(string source, bool fallback, CancellationToken ct)
    {
        if (InstanceSources.Contains(source))
        {
            return await InstanceSourceAsync(source, ct).ConfigureAwait(false);
        }
        if (source is "stdin" or "-")
        {
            return await ReadStdinAsync(ct).ConfigureAwait(false);
        }
        // flux-core tries every other argument as a job ID first, then as a hostlist.
        if (Fluid.TryParse(source, out var id))
        {
            try
            {
                return await JobNodesAsync(id, ct).ConfigureAwait(false);
            }
            catch (FluxException ex) when (fallback && ex.Errnum is Errno.ENOENT or Errno.ECONNREFUSED or Errno.EACCES)
            {
                // Not a job here: with --fallback the word is a host name.
            }
        }
        try
        {
            return Hostlist.Parse(source);
        }
        catch (FluxException ex)
        {
            throw new FluxException(ex.Errnum, $"invalid jobid or hostlist '{source}': {ex.Message}", ex);
        }
    }

    /// <summary>
    /// flux-core's sources: instance (the hosts of the instance's resources), local (the current job's
    /// nodes inside a job, else the instance's), avail (the instance's hosts that are up and not
    /// drained or excluded).
    /// </summary>
    private static async Task<Hostlist> InstanceSourceAsync(string source, CancellationToken ct)
    {
        if (source == "local" && Environment.GetEnvironmentVariable("FLUX_JOB_ID") is { } jobid && Fluid.TryParse(jobid, out var id))
        {
            return await JobNodesAsync(id, ct).ConfigureAwait(false);
        }
        await using var h = await Flux.Client.Connectors.FluxConnect.OpenAsync(null, ct).ConfigureAwait(false);
        var status = await h.RpcAsync("resource.status", null, NodeId.Any, ct).ConfigureAwait(false)
            ?? throw new FluxException(Errno.EPROTO, "resource.status: empty response");
        var r = Rv1.Parse(status["R"]!);
        if (source is "instance" or "local")
        {
            return r.Nodelist;
        }
        var unavailable = IdSet.Parse(status["exclude"]?.GetValue<string>() ?? string.Empty)
            .Union(IdSet.Parse(status["offline"]?.GetValue<string>() ?? string.Empty));
        foreach (var (ranks, _) in status["drained"] as System.Text.Json.Nodes.JsonObject ?? [])
        {
            unavailable = unavailable.Union(IdSet.Parse(ranks));
        }
        return new Hostlist(r.Nodes.Where(n => !unavailable.Contains(n.Rank) && n.Hostname is not null).Select(n => n.Hostname!));
    }

    /// <summary>The nodes a job was allocated (job-list), or an empty list for a job that has none yet.</summary>
    private static async Task<Hostlist> JobNodesAsync(ulong id, CancellationToken ct)
    {
        await using var h = await Flux.Client.Connectors.FluxConnect.OpenAsync(null, ct).ConfigureAwait(false);
        var resp = await h.RpcAsync("job-list.list-id", new System.Text.Json.Nodes.JsonObject { ["id"] = id, ["attrs"] = new System.Text.Json.Nodes.JsonArray("nodelist") }, NodeId.Any, ct).ConfigureAwait(false);
        var nodelist = resp?["job"]?["nodelist"]?.GetValue<string>();
        return nodelist is null ? Hostlist.Empty : Hostlist.Parse(nodelist);
    }

    // Like flux-core, wait a bounded time for stdin to have data (FLUX_HOSTLIST_STDIN_TIMEOUT
    // seconds, default 15), so a forgotten pipe fails instead of hanging; then read it all.
    private static async Task<Hostlist> ReadStdinAsync(CancellationToken ct)
    {
        var timeout = 15.0;
        if (Environment.GetEnvironmentVariable("FLUX_HOSTLIST_STDIN_TIMEOUT") is { } t
            && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed >= 0)
        {
            timeout = parsed;
        }
        // Console.In reads synchronously even through ReadLineAsync, so wait on a pool thread.
        var first = Task.Run(Console.In.ReadLine, ct);
        if (await Task.WhenAny(first, LongTimer.DelayAsync(timeout, TimeProvider.System, ct)).ConfigureAwait(false) != first)
        {
            throw new FluxException(Errno.ETIMEDOUT, string.Create(CultureInfo.InvariantCulture, $"timeout after {timeout}s waiting for stdin"));
        }
        var hl = Hostlist.Empty;
        var lineNo = 0;
        for (var line = await first.ConfigureAwait(false); line is not null; line = Console.In.ReadLine())
        {
            lineNo++;
            try
            {
                hl = hl.Append(Hostlist.Parse(line.TrimEnd()));
            }
            catch (FluxException ex)
            {
                throw new FluxException(ex.Errnum, $"stdin:{lineNo}: invalid hostlist '{line.TrimEnd()}': {ex.Message}", ex);
            }
        }
        return hl;
    }

    private static Hostlist Combine(ParsedArgs args, List<Hostlist> lists)
    {
        if (args.Has("intersect") || args.Has("xor") || args.Has("minus"))
        {
            var hl = lists[0];
            foreach (var x in lists.Skip(1))
            {
                hl = args.Has("intersect") ? hl.Intersect(x)
                    : args.Has("xor") ? hl.Xor(x)
                    : hl.Delete(x.ToString()); // flux-core's minus keeps order and repeats
            }
            return hl;
        }
        return lists.Aggregate(Hostlist.Empty, (acc, x) => acc.Append(x));
    }

    // Remove every occurrence of the hosts; if none was there, read the argument as indices.
    private static Hostlist Exclude(Hostlist hl, string exclude)
    {
        var count = hl.Count;
        while (true)
        {
            var next = hl.Delete(exclude);
            if (next.Count == hl.Count)
            {
                break;
            }
            hl = next;
        }
        if (hl.Count == count && IdSet.TryParse(exclude, out var indices))
        {
            hl = new Hostlist(hl.Where((_, i) => !indices.Contains((uint)i)));
        }
        return hl;
    }

    private static Hostlist Nth(Hostlist hl, string nth)
    {
        var fromEnd = nth.StartsWith('-');
        var text = fromEnd ? nth[1..] : nth;
        if (!IdSet.TryParse(text, out var ids))
        {
            throw new FluxException(Errno.EINVAL, $"--nth: invalid idset '{text}'");
        }
        var hosts = new List<string>();
        // Indices from the end are taken in reverse so the result keeps the input order.
        foreach (var id in fromEnd ? ids.Reverse() : ids)
        {
            // Python's hl[-0] is hl[0], which flux-core inherits.
            long index = fromEnd && id != 0 ? hl.Count - (long)id : id;
            if (index < 0 || index >= hl.Count)
            {
                throw new FluxException(Errno.EINVAL, $"--nth: index {(fromEnd ? "-" : "")}{id} is out of range for {hl.Count} hosts");
            }
            hosts.Add(hl[(int)index]);
        }
        return new Hostlist(hosts);
    }

    private static List<int> Find(Hostlist hl, string find)
    {
        if (!Hostlist.TryParse(find, out var wanted))
        {
            throw new UsageException($"--find: invalid hostlist '{find}'");
        }
        var result = new List<int>();
        foreach (var host in wanted)
        {
            var i = hl.IndexOf(host);
            result.Add(i >= 0 ? i : throw new FluxException(Errno.ENOENT, $"--find: host '{host}' is not in the hostlist"));
        }
        return result;
    }
}

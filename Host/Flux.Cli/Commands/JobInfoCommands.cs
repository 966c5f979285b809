// flux job info|eventlog|wait-event|last: job data and eventlogs (RFC 16, RFC 18) through job-info and job-list.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Cli.Jobs;
using Flux.Client.Connectors;

namespace Flux.Cli.Commands;

internal sealed class JobInfoCommand : Command
{
    public override string Name => "job info";

    public override string Summary => "Print a job's KVS data: jobspec, R, eventlog, J, guest.exec.eventlog, ...";

    public override string Usage => "[--base] [--original] JOBID KEY...";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("base", 'b', null, "Print jobspec or R as stored, without the updates in the eventlog applied."),
        new("original", 'o', null, "Print the jobspec as submitted (taken from the signed request J)."),
    ];

    public override string Details => """
        By default jobspec and R are printed current: with the eventlog's jobspec-update and
        resource-update events applied. Other keys are printed as stored.

        Example: flux job info ƒ2BnqJt7 R
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 2, int.MaxValue);
        var id = JobIds.Parse(args.Positionals[0]);
        var keys = args.Positionals.Skip(1).ToList();
        if (args.Has("original") && (keys.Count != 1 || keys[0] != "jobspec"))
        {
            throw new UsageException("--original can only be used with the jobspec key");
        }
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var lookupKeys = args.Has("original") ? ["J"] : keys;
        var flags = args.Has("base") || args.Has("original") ? 0 : 2;
        JsonObject? resp;
        try
        {
            resp = await h.RpcAsync("job-info.lookup", new JsonObject
            {
                ["id"] = id,
                ["keys"] = new JsonArray([.. lookupKeys.Select(k => (JsonNode)k)]),
                ["flags"] = flags,
            }, NodeId.Any, ct).ConfigureAwait(false);
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOENT)
        {
            throw new FluxException(Errno.ENOENT, ex.Message.StartsWith("key ", StringComparison.Ordinal)
                ? $"job {args.Positionals[0]}: {ex.Message}"
                : $"job {args.Positionals[0]} not found");
        }
        foreach (var key in lookupKeys)
        {
            var value = resp?[key]?.GetValue<string>() ?? "";
            if (args.Has("original"))
            {
                value = SignedJob.Unwrap(value).Jobspec;
            }
            Console.Write(value.EndsWith('\n') ? value : value + "\n");
        }
        return 0;
    }
}

internal sealed class JobEventlogCommand : Command
{
    public override string Name => "job eventlog";

    public override string Summary => "Print a job's eventlog (or its exec, output or input eventlog).";

    public override string Usage => "[-f FORMAT] [-T TIMEFORMAT] [-H] [-F] [-p PATH] JOBID";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("format", 'f', "FORMAT", "Output format: text (default) or json."),
        new("time-format", 'T', "FORMAT", "Time format: raw (default), iso, offset or human."),
        new("human", 'H', null, "Human-readable output: --time-format=human, colored on a terminal."),
        new("color", null, "WHEN", "Color the output: always, never or auto (default)."),
        new("path", 'p', "PATH", "Eventlog to print: eventlog (default), exec, output, input, or a guest.* key."),
        new("follow", 'F', null, "Keep printing events until the job is inactive."),
    ];

    public override string Details => """
        Text output is one event per line: TIMESTAMP NAME key=value ..., the values as JSON.

        Example: flux job eventlog -H ƒ2BnqJt7
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        var idText = args.Positionals[0];
        var id = JobIds.Parse(idText);
        var path = args.Get("path") ?? "eventlog";
        var formatter = JobIds.Formatter(args);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        try
        {
            if (args.Has("follow"))
            {
                var request = Message.Request("job-info.eventlog-watch", new JsonObject { ["id"] = id, ["path"] = path, ["flags"] = 0 });
                await foreach (var m in h.StreamAsync(request, ct).ConfigureAwait(false))
                {
                    Console.WriteLine(formatter.Format(m.GetJson()["event"]!.GetValue<string>()));
                }
                return 0;
            }
            var key = path switch
            {
                "exec" => "guest.exec.eventlog",
                "output" => "guest.output",
                "input" => "guest.input",
                _ => path,
            };
            var resp = await h.RpcAsync("job-info.lookup", new JsonObject { ["id"] = id, ["keys"] = new JsonArray(key), ["flags"] = 0 }, NodeId.Any, ct).ConfigureAwait(false);
            foreach (var e in (resp?[key]?.GetValue<string>() ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                Console.WriteLine(formatter.Format(e));
            }
            return 0;
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOENT)
        {
            throw new FluxException(Errno.ENOENT, path == "eventlog" ? $"job {idText} not found" : $"eventlog path {path} not found");
        }
    }
}

internal sealed class JobWaitEventCommand : Command
{
    public override string Name => "job wait-event";

    public override string Summary => "Wait for an event in a job's eventlog and print it.";

    public override string Usage => "[-t TIMEOUT] [-m KEY=VAL] [-c COUNT] [-p PATH] [-W] [-q] [-v] JOBID EVENT";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("timeout", 't', "DURATION", "Give up after DURATION (FSD, e.g. 30s)."),
        new("match-context", 'm', "KEY=VAL", "Match only an event whose context has KEY equal to VAL."),
        new("count", 'c', "COUNT", "Wait for the COUNTth matching event (default 1)."),
        new("path", 'p', "PATH", "Eventlog to watch: eventlog (default), exec, output, input, or a guest.* key."),
        new("waitcreate", 'W', null, "If PATH does not exist yet, wait for it to be created."),
        new("format", 'f', "FORMAT", "Output format: text (default) or json."),
        new("time-format", 'T', "FORMAT", "Time format: raw (default), iso, offset or human."),
        new("human", 'H', null, "Human-readable output: --time-format=human, colored on a terminal."),
        new("color", null, "WHEN", "Color the output: always, never or auto (default)."),
        new("quiet", 'q', null, "Do not print the matched event."),
        new("verbose", 'v', null, "Also print every event before the matched one."),
    ];

    public override string Details => """
        Exits 0 when the event arrives, 1 on timeout or when the eventlog ends without it.

        Example: flux job wait-event -t 10s ƒ2BnqJt7 clean
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 2);
        var idText = args.Positionals[0];
        var id = JobIds.Parse(idText);
        var wanted = args.Positionals[1];
        var path = args.Get("path") ?? "eventlog";
        var count = args.GetInt("count", 1, 1);
        var timeout = args.GetSeconds("timeout", -1);
        string? matchKey = null, matchValue = null;
        if (args.Get("match-context") is { } kv)
        {
            var eq = kv.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new UsageException("--match-context: expected KEY=VAL");
            }
            (matchKey, matchValue) = (kv[..eq], kv[(eq + 1)..]);
        }
        var formatter = JobIds.Formatter(args);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout >= 0)
        {
            deadline.CancelAfter(TimeSpan.FromSeconds(timeout));
        }
        var request = Message.Request("job-info.eventlog-watch", new JsonObject
        {
            ["id"] = id,
            ["path"] = path,
            ["flags"] = args.Has("waitcreate") ? 1 : 0,
        });
        var matches = 0;
        try
        {
            await foreach (var m in h.StreamAsync(request, deadline.Token).ConfigureAwait(false))
            {
                var line = m.GetJson()["event"]!.GetValue<string>();
                var entry = Eventlog.ParseEntry(line);
                formatter.UpdateT0(entry.Timestamp);
                if (entry.Name == wanted && (matchKey is null || ContextMatches(entry.Context, matchKey, matchValue!)) && ++matches == count)
                {
                    if (!args.Has("quiet"))
                    {
                        Console.WriteLine(formatter.Format(line));
                    }
                    Cancel(h, request);
                    return 0;
                }
                if (args.Has("verbose"))
                {
                    Console.WriteLine(formatter.Format(line));
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Cancel(h, request);
            throw new FluxException(Errno.ETIMEDOUT, $"wait-event timeout on event '{wanted}'");
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOENT)
        {
            throw new FluxException(Errno.ENOENT, path == "eventlog" ? $"job {idText} not found" : $"eventlog path {path} not found");
        }
        throw new FluxException(Errno.ENODATA, $"event '{wanted}' never received");
    }

    // KEY=VAL matches a context value equal to VAL as JSON text (status=0) or as a string (type=cancel).
    private static bool ContextMatches(JsonObject? context, string key, string value)
    {
        if (context is null || !context.TryGetPropertyValue(key, out var v) || v is null)
        {
            return false;
        }
        var json = v.ToJsonString();
        return json == value || (v is JsonValue s && s.GetValueKind() == System.Text.Json.JsonValueKind.String && s.GetValue<string>() == value);
    }

    private static void Cancel(Flux.Client.Handle.FluxHandle h, Message watch)
    {
        var cancel = Message.Request("job-info.eventlog-watch-cancel", new JsonObject { ["matchtag"] = watch.Matchtag });
        cancel.Flags |= MessageFlags.NoResponse;
        h.Send(cancel);
    }
}

internal sealed class JobLastCommand : Command
{
    public override string Name => "job last";

    public override string Summary => "Print the calling user's most recently submitted job ID(s).";

    public override string Usage => "[N|SLICE]";

    public override string Details => """
        N prints the N most recent job IDs, most recent first. SLICE is a Python slice of that list in
        brackets: [:5] (five most recent), [-1:] (the oldest), [::2] (every other).

        Example: flux job last 3
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0, 1);
        var arg = args.Positionals.Count == 1 ? args.Positionals[0] : "1";
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var resp = await h.RpcAsync("job-list.list", new JsonObject
        {
            ["max_entries"] = 0,
            ["attrs"] = new JsonArray("t_submit"),
            ["userid"] = PeerCredentials.CurrentUid,
            ["states"] = 0,
            ["results"] = 0,
        }, NodeId.Any, ct).ConfigureAwait(false);
        var ids = (resp?["jobs"] as JsonArray ?? []).OfType<JsonObject>()
            .OrderByDescending(j => j["t_submit"]?.GetValue<double>() ?? 0)
            .ThenByDescending(j => j["id"]!.GetValue<ulong>())
            .Select(j => j["id"]!.GetValue<ulong>())
            .ToList();
        if (ids.Count == 0)
        {
            throw new FluxException(Errno.ENODATA, "job history is empty");
        }
        foreach (var id in Select(ids, arg))
        {
            Console.WriteLine(Fluid.Encode(id, FluidEncoding.F58));
        }
        return 0;
    }

    // N → the first N; [start:stop:step] → Python's slice semantics.
    internal static IEnumerable<T> Select<T>(IReadOnlyList<T> items, string arg)
    {
        if (int.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return items.Take(n);
        }
        if (arg.Length < 2 || arg[0] != '[' || arg[^1] != ']')
        {
            throw new UsageException($"invalid N or SLICE '{arg}'");
        }
        var parts = arg[1..^1].Split(':');
        if (parts.Length is < 1 or > 3)
        {
            throw new UsageException($"invalid SLICE '{arg}'");
        }
        int? Part(int i) => i < parts.Length && parts[i].Length > 0
            ? int.TryParse(parts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : throw new UsageException($"invalid SLICE '{arg}'")
            : null;
        if (parts.Length == 1)
        {
            var index = Part(0) ?? throw new UsageException($"invalid SLICE '{arg}'");
            index = index < 0 ? items.Count + index : index;
            return index >= 0 && index < items.Count ? [items[index]] : [];
        }
        var step = Part(2) ?? 1;
        if (step == 0)
        {
            throw new UsageException("slice step cannot be zero");
        }
        int Clamp(int? v, int dflt)
        {
            if (v is not { } x)
            {
                return dflt;
            }
            x = x < 0 ? x + items.Count : x;
            return step > 0 ? Math.Clamp(x, 0, items.Count) : Math.Clamp(x, -1, items.Count - 1);
        }
        var start = Clamp(Part(0), step > 0 ? 0 : items.Count - 1);
        var stop = Clamp(Part(1), step > 0 ? items.Count : -1);
        var result = new List<T>();
        for (var i = start; step > 0 ? i < stop : i > stop; i += step)
        {
            result.Add(items[i]);
        }
        return result;
    }
}

/// <summary>Job ID arguments and eventlog output options shared by the flux job subcommands here.</summary>
internal static class JobIds
{
    /// <summary>A job ID in any FLUID encoding (RFC 19).</summary>
    public static ulong Parse(string text) =>
        Fluid.TryParse(text, out var id) ? id : throw new FluxException(Errno.EINVAL, $"error parsing jobid: \"{text}\"");

    public static EventlogFormatter Formatter(ParsedArgs args)
    {
        var human = args.Has("human");
        var color = args.Get("color") switch
        {
            null => human && !Console.IsOutputRedirected,
            "auto" => !Console.IsOutputRedirected,
            "always" => true,
            "never" => false,
            var w => throw new UsageException($"--color: invalid value '{w}' (always, never or auto)"),
        };
        try
        {
            return new EventlogFormatter(args.Get("format") ?? "text", args.Get("time-format") ?? (human ? "human" : "raw"), color);
        }
        catch (FluxException ex)
        {
            throw new UsageException(ex.Message);
        }
    }
}

// flux job wait-event: wait for an event in a job's eventlog and print it
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Cli.Jobs;

namespace Flux.Cli.Commands;

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
        .. EventlogOptions.Specs,
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
        var id = JobIdArg.ParseQuoted(idText);
        var wanted = args.Positionals[1];
        var path = JobEventlogCommand.PathLookup(args.Get("path") ?? "eventlog");
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
        var formatter = EventlogOptions.Formatter(args);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Any FSD: CancelAfter alone throws past 49.7 days.
        using var timer = timeout >= 0 ? LongTimer.CancelAfter(deadline, timeout, TimeProvider.System) : null;
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

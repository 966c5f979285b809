// flux job eventlog: print a job's eventlog (or its exec, output or input eventlog)
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Cli.Jobs;

namespace Flux.Cli.Commands;

internal sealed class JobEventlogCommand : Command
{
    public override string Name => "job eventlog";

    public override string Summary => "Print a job's eventlog (or its exec, output or input eventlog).";

    public override string Usage => "[-f FORMAT] [-T TIMEFORMAT] [-H] [-F] [-p PATH] JOBID";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        .. EventlogOptions.Specs,
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
        var id = JobIdArg.ParseQuoted(idText);
        var path = PathLookup(args.Get("path") ?? "eventlog");
        var formatter = EventlogOptions.Formatter(args);
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
            var resp = await h.RpcAsync("job-info.lookup", new JsonObject { ["id"] = id, ["keys"] = new JsonArray(path), ["flags"] = 0 }, NodeId.Any, ct).ConfigureAwait(false);
            foreach (var e in (resp?[path]?.GetValue<string>() ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
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

    /// <summary>
    /// flux-core's path_lookup: the short names exec, output and input stand for the guest logs
    /// (guest.exec.eventlog, guest.output, guest.input); any other name is a path as it is. Requests and
    /// errors carry the full path, as flux-core's flux job eventlog and wait-event do.
    /// </summary>
    internal static string PathLookup(string name) => name switch
    {
        "exec" => "guest.exec.eventlog",
        "output" => "guest.output",
        "input" => "guest.input",
        _ => name,
    };
}

// flux job submit: submit a raw jobspec (JSON or YAML) from a file or stdin, print its job ID
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Cli.Jobs;
using Flux.Client.Connectors;

namespace Flux.Cli.Commands;

internal sealed class JobSubmitCommand : Command
{
    public override string Name => "job submit";

    public override string Summary => "Submit a jobspec (JSON or YAML) from FILE or stdin and print its job ID.";

    public override string Usage => "[-u N] [-f FLAGS] [FILE|-]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("urgency", 'u', "N", "Urgency 0-31 (hold=0, default=16, expedite=31)."),
        new("flags", 'f', "FLAGS", "Comma-separated submit flags: waitable, novalidate, debug, signed.", Repeatable: true),
        new("security-config", 'c', "PATTERN", "Not supported: Flux.NET has no flux-security signing (refused)."),
        new("sign-type", 's', "TYPE", "Not supported: Flux.NET has no flux-security signing (refused)."),
    ];

    public override string Details => """
        As flux-core's flux job submit: the jobspec is sent as it is (signed with the 'none' mechanism)
        to job-ingest, which validates it. A file whose first non-blank character is '{' is JSON;
        anything else is read as YAML and converted. With --flags=signed the input is already a
        signed J and is sent unchanged. Without FILE, or with '-', the jobspec is read from stdin.
        Examples:
          flux run --dry-run hostname > job.json && flux job submit job.json
          flux job submit --urgency=hold --flags=waitable < job.yaml
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0, 1);
        if (args.Has("security-config") || args.Has("sign-type"))
        {
            throw new UsageException("--security-config and --sign-type are not supported: Flux.NET signs jobs with the 'none' mechanism only (flux-security is not available)");
        }
        var flags = SubmitFlags.None;
        foreach (var name in args.GetAll("flags").SelectMany(f => f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            flags |= name switch
            {
                "debug" => SubmitFlags.Debug,
                "waitable" => SubmitFlags.Waitable,
                "signed" => SubmitFlags.PreSigned,
                "novalidate" => SubmitFlags.NoValidate,
                _ => throw new UsageException($"unknown flag: {name} (debug, waitable, signed, novalidate)"),
            };
        }
        var urgency = SubmitOptions.Urgency(args);
        var input = args.Positionals.Count == 1 ? args.Positionals[0] : "-";
        string text;
        try
        {
            text = input == "-" ? await Console.In.ReadToEndAsync(ct).ConfigureAwait(false) : await File.ReadAllTextAsync(input, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FluxException(Errno.ENOENT, $"{input}: {(ex is FileNotFoundException or DirectoryNotFoundException ? "No such file or directory" : ex.Message)}");
        }
        if (text.Length == 0)
        {
            throw new FluxException(Errno.EINVAL, "required jobspec is empty");
        }
        string j;
        if ((flags & SubmitFlags.PreSigned) != 0)
        {
            j = text.Trim();
        }
        else
        {
            var trimmed = text.AsSpan().TrimStart();
            // JSON goes as it is; YAML is converted (job-ingest reads JSON).
            var json = trimmed.StartsWith("{", StringComparison.Ordinal) ? text : JobValidateCommand.ToJson(text).ToJsonString();
            SubmitSupport.Check(Jobspec.ParseJson(json), flags);
            j = SignedJob.Wrap(json, PeerCredentials.CurrentUid);
        }
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var resp = await h.RpcAsync("job-ingest.submit", new JsonObject
        {
            ["J"] = j,
            ["urgency"] = urgency,
            ["flags"] = (int)(flags & SubmitFlags.Wire),
        }, NodeId.Any, ct).ConfigureAwait(false);
        Console.WriteLine(JobIdArg.F58(resp!["id"]!.GetValue<ulong>()));
        return 0;
    }
}

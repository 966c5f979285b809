// flux update: change attributes of a pending (or, for the owner, running) job's jobspec through job-manager.update.
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Cli.Jobs;
using Flux.Client.Handle;
using Flux.Formats;

namespace Flux.Cli.Commands;

internal sealed class UpdateCommand : Command
{
    public override string Name => "update";

    public override string Summary => "Update attributes of an active job.";

    public override string Usage => "[OPTIONS] JOBID KEY=VALUE [KEY=VALUE...]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("dry-run", 'n', null, "Print the updates that would be sent; send nothing."),
        new("verbose", 'v', null, "Print the updated keys on success."),
    ];

    public override string Details => """
        As flux-core's flux-update(1): KEY is a dotted jobspec path; a key that starts with neither
        "attributes." nor "resources" gets "attributes.system." in front. "duration" takes an FSD
        ("30m") or a change of the current one ("+10m", "-1h"); "name" sets attributes.system.job.name.
        VALUE is JSON when it parses as JSON, else a string. Plugins decide which keys may change
        (.update-duration allows the duration); all updates apply or none.

        Example: flux update ƒ2BnqJt7 duration=+30m
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 2, int.MaxValue);
        var id = JobIdArg.ParseQuoted(args.Positionals[0]);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        JsonNode? jobspec = null;
        var updates = new JsonObject();
        foreach (var word in args.Positionals.Skip(1))
        {
            var eq = word.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new UsageException($"invalid update '{word}': expected KEY=VALUE");
            }
            var (key, text) = (word[..eq], word[(eq + 1)..]);
            if (key == "duration" && text.Length > 0 && text[0] is '+' or '-')
            {
                jobspec ??= await CurrentJobspecAsync(h, id, ct).ConfigureAwait(false);
                var current = jobspec?["attributes"]?["system"]?["duration"]?.GetValue<double>() ?? 0;
                if (current == 0)
                {
                    throw new FluxException(Errno.EINVAL, "cannot update unlimited duration relatively");
                }
                var delta = Fsd.Parse(text[1..]) * (text[0] == '-' ? -1 : 1);
                updates["attributes.system.duration"] = Math.Max(current + delta, 0.1);
                continue;
            }
            updates[Expand(key)] = key switch
            {
                "duration" => Fsd.Parse(text),
                "name" => text,
                _ => ParseValue(text),
            };
        }
        if (args.Has("dry-run"))
        {
            Console.WriteLine(updates.ToJsonString());
            return 0;
        }
        await h.RpcAsync("job-manager.update", new JsonObject { ["id"] = id, ["updates"] = updates.DeepClone() }, NodeId.Any, ct).ConfigureAwait(false);
        if (args.Has("verbose"))
        {
            foreach (var (key, value) in updates)
            {
                Console.WriteLine($"{JobIdArg.F58(id)}: updated {key} to {value?.ToJsonString()}");
            }
        }
        return 0;
    }

    private static string Expand(string key) => key switch
    {
        "name" => "attributes.system.job.name",
        _ when key.StartsWith("attributes.", StringComparison.Ordinal) || key.StartsWith("resources", StringComparison.Ordinal) => key,
        _ => "attributes.system." + key,
    };

    private static JsonNode? ParseValue(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return text;
        }
    }

    private static async Task<JsonNode?> CurrentJobspecAsync(FluxHandle h, ulong id, CancellationToken ct)
    {
        var resp = await h.RpcAsync("job-info.lookup", new JsonObject
        {
            ["id"] = id,
            ["keys"] = new JsonArray("jobspec"),
            ["flags"] = 3,
        }, NodeId.Any, ct).ConfigureAwait(false);
        return resp?["jobspec"];
    }
}

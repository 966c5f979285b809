// flux job memo: attach KEY=VALUE memos to a job (annotations.user in flux jobs)
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Cli.Jobs;

namespace Flux.Cli.Commands;

internal sealed class JobMemoCommand : Command
{
    public override string Name => "job memo";

    public override string Summary => "Attach KEY=VALUE memos to a job (shown as annotations.user).";

    public override string Usage => "[--volatile] ID KEY=VALUE...";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("volatile", null, null, "Do not record the memo in the job eventlog (lost on restart)."),
    ];

    public override string Details => """
        VALUE is JSON when it parses as JSON, a string otherwise; '-' reads it from stdin. A dotted KEY
        makes nested objects; the value null removes a key. As flux-core's: job-manager.memo {id, volatile, memo}.
        Example:
          flux job memo ƒ2Rnxtmu note="rerun of 42" tries=2
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 2, int.MaxValue);
        var id = JobIdArg.Parse(args.Positionals[0]);
        var memo = new JsonObject();
        foreach (var kv in args.Positionals.Skip(1))
        {
            var eq = kv.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw new UsageException($"memo: no value for key={kv}");
            }
            var value = kv[(eq + 1)..];
            if (value == "-")
            {
                value = await Console.In.ReadToEndAsync(ct).ConfigureAwait(false);
            }
            SetPath(memo, kv[..eq], Decode(value));
        }
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        try
        {
            await h.RpcAsync("job-manager.memo", new JsonObject { ["id"] = id, ["volatile"] = args.Has("volatile"), ["memo"] = memo }, NodeId.Any, ct).ConfigureAwait(false);
        }
        catch (FluxException ex)
        {
            throw new FluxException(ex.Errnum, $"memo: {ex.Message}");
        }
        return 0;
    }

    // flux-core: "if value is not legal json, assume string" (json_loads with JSON_DECODE_ANY).
    private static JsonNode? Decode(string value)
    {
        try
        {
            return JsonNode.Parse(value);
        }
        catch (JsonException)
        {
            return JsonValue.Create(value);
        }
    }

    // flux-core's jpath_set_new: a.b.c makes the objects on the way.
    private static void SetPath(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        if (parts.Any(p => p.Length == 0))
        {
            throw new UsageException($"memo: invalid key '{path}'");
        }
        var o = root;
        foreach (var p in parts[..^1])
        {
            if (o[p] is not JsonObject next)
            {
                o[p] = next = new JsonObject();
            }
            o = next;
        }
        o[parts[^1]] = value;
    }
}

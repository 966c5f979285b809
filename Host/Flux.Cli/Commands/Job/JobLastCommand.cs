// flux job last: print the calling user's most recently submitted job ID(s)
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;
using Flux.Client.Connectors;

namespace Flux.Cli.Commands;

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
            // No state or result bits: job-list does not filter on them.
            ["states"] = (int)JobState.None,
            ["results"] = (int)JobResult.None,
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

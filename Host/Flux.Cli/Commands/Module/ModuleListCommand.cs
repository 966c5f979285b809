// flux module list: list loaded modules in load order: name, idle seconds, state, services
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class ModuleListCommand : Command
{
    public override string Name => "module list";

    public override string Summary => "List loaded modules in load order: name, idle seconds, state, services.";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("long", 'l', null, "Also show each module's path and arguments."),
        new("json", null, null, "Print the raw module.list response."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var resp = await h.RpcAsync("module.list", null, NodeId.Any, ct).ConfigureAwait(false);
        if (args.Has("json"))
        {
            Console.WriteLine(resp?.ToJsonString());
            return 0;
        }
        var mods = resp?["mods"] as JsonArray ?? [];
        var nameWidth = Math.Max(24, mods.Select(m => m!["name"]!.GetValue<string>().Length).DefaultIfEmpty(0).Max() + 1);
        Console.WriteLine($"{"Module".PadRight(nameWidth)} {"Idle",4} S Service");
        foreach (var m in mods)
        {
            var name = m!["name"]!.GetValue<string>();
            var idle = m["idle"]!.GetValue<long>();
            var services = string.Join(",", (m["services"] as JsonArray ?? []).Select(s => s!.GetValue<string>()).Where(s => s != name));
            var idleText = idle > 9999 ? "idle" : idle.ToString(CultureInfo.InvariantCulture);
            Console.WriteLine($"{name.PadRight(nameWidth)} {idleText,4} {StateLetter(m["status"])} {services}".TrimEnd());
            if (args.Has("long"))
            {
                var margs = string.Join(' ', (m["args"] as JsonArray ?? []).Select(a => a!.GetValue<string>()));
                Console.WriteLine($"{"",-4}path: {m["path"]!.GetValue<string>()}{(margs.Length > 0 ? "  args: " + margs : "")}");
            }
        }
        return 0;
    }

    // flux-core answers an integer state (INIT=0, RUNNING=1, FINALIZING=2, EXITED=3) and prints its
    // letter; older Flux.NET brokers sent the letter itself.
    internal static string StateLetter(JsonNode? status) => status switch
    {
        JsonValue v when v.TryGetValue(out int n) => n switch
        {
            0 => "I",
            1 => "R",
            2 => "F",
            3 => "E",
            _ => "?",
        },
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => "?",
    };
}

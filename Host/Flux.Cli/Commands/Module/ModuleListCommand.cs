// flux module list: loaded modules in load order, as flux-core's: name, idle seconds, state, queue counts, services
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class ModuleListCommand : Command
{
    public override string Name => "module list";

    public override string Summary => "List loaded modules in load order: name, idle seconds, state, send and receive queue counts, services.";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("long", 'l', null, "Also show each module's path (services cut to 8 characters, as flux-core's)."),
        new("json", null, null, "Print the raw module.list response."),
    ];

    public override string Details => """
        The columns are flux-core's (src/cmd/flux-module.c): Idle is the seconds since the module
        last sent a message ('idle' past 99), S its state (I init, R running, F finalizing,
        X exited), Sendq the messages the broker sent it that it has not taken up yet, Recvq the
        messages it sent that the broker has not read yet, Service the services it registered
        besides its own name. A module's arguments are in --json.
        """;

    // flux-core prints the idle seconds up to this, and 'idle' past it.
    private const int MaxIdle = 99;

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
        var mods = resp?["mods"] as JsonArray ?? throw new FluxException(Errno.EPROTO, "module.list: the response has no mods array");
        var longopt = args.Has("long");
        Console.WriteLine(FormatHeader(longopt));
        foreach (var m in mods)
        {
            Console.WriteLine(FormatEntry(m as JsonObject ?? throw new FluxException(Errno.EPROTO, "module.list: an entry of mods is not an object"), longopt));
        }
        return 0;
    }

    // flux-core 0.88's lines (flux-core-0.88-traces/module-list.out): "%-24s %5s  %c %s %s %s".
    internal static string FormatHeader(bool longopt) => longopt
        ? $"{"Module",-24} {"Idle",5}  S Sendq Recvq {"Service",-8} Path"
        : $"{"Module",-24} {"Idle",5}  S Sendq Recvq Service";

    /// <summary>One entry as flux-core's "%-24.24s %5s  %c %5d %5d %s" (-l: "%-8s %s" for services and path).</summary>
    internal static string FormatEntry(JsonObject m, bool longopt)
    {
        var name = Required(m, "name").GetValue<string>();
        var idle = Required(m, "idle").GetValue<long>();
        var services = (Required(m, "services") as JsonArray ?? throw new FluxException(Errno.EPROTO, "module.list: services is not an array"))
            .Select(s => s!.GetValue<string>()).Where(s => s != name);
        var svc = string.Join(",", services);
        // flux-core treats both counts as optional (s?i) and shows 0 without them.
        var sendq = m["sendqueue"]?.GetValue<long>() ?? 0;
        var recvq = m["recvqueue"]?.GetValue<long>() ?? 0;
        var idleText = idle <= MaxIdle ? idle.ToString(CultureInfo.InvariantCulture) : "idle";
        var head = string.Create(CultureInfo.InvariantCulture, $"{(name.Length > 24 ? name[..24] : name),-24} {idleText,5}  {StateLetter(m["status"])} {sendq,5} {recvq,5} ");
        if (!longopt)
        {
            return head + svc;
        }
        if (svc.Length > 8)
        {
            svc = svc[..7] + "+";
        }
        return head + $"{svc,-8} {Required(m, "path").GetValue<string>()}";
    }

    private static JsonNode Required(JsonObject m, string key) =>
        m[key] ?? throw new FluxException(Errno.EPROTO, $"module.list: an entry lacks '{key}'");

    // flux-core answers an integer state (INIT=0, RUNNING=1, FINALIZING=2, EXITED=3) and prints its
    // letter (lsmod_state_char); older Flux.NET brokers sent the letter itself.
    internal static string StateLetter(JsonNode? status) => status switch
    {
        JsonValue v when v.TryGetValue(out int n) => n switch
        {
            0 => "I",
            1 => "R",
            2 => "F",
            3 => "X",
            _ => "?",
        },
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => "?",
    };
}

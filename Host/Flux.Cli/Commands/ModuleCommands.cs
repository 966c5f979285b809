// flux module load|remove|reload|list|stats: manage broker modules.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class ModuleLoadCommand : Command
{
    public override string Name => "module load";

    public override string Summary => "Load a broker module by name (on the module path) or by path to its .dll.";

    public override string Usage => "[-n NAME] MODULE [ARGS...]";

    public override bool StopAtPositional => true;

    public override IReadOnlyList<OptionSpec> Options => [new("name", 'n', "NAME", "Load the module under another name.")];

    public override string Details => """
        MODULE is a name looked up on FLUX_MODULE_PATH, the [modules] search-path config key and the
        built-in module folder, or a path to a plugin assembly (.dll). ARGS are passed to the module,
        conventionally as key=value.

        Example: flux module load samples/Hello/bin/Release/net10.0/Hello.dll greeting=Hi
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var spec = args.Positionals[0];
        if (Flux.Client.Plugins.PluginLoader.IsPath(spec))
        {
            spec = Path.GetFullPath(spec);
        }
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var req = new JsonObject
        {
            ["path"] = spec,
            ["args"] = new JsonArray([.. args.Positionals.Skip(1).Select(a => (JsonNode)a)]),
        };
        if (args.Get("name") is { } n)
        {
            req["name"] = n;
        }
        await h.RpcAsync("module.load", req, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}

internal sealed class ModuleRemoveCommand : Command
{
    public override string Name => "module remove";

    public override string Summary => "Remove (unload) a broker module.";

    public override string Usage => "[-f] NAME";

    public override IReadOnlyList<OptionSpec> Options => [new("force", 'f', null, "Succeed even if the module is not loaded.")];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await h.RpcAsync("module.remove", new JsonObject { ["name"] = args.Positionals[0], ["force"] = args.Has("force") }, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}

internal sealed class ModuleReloadCommand : Command
{
    public override string Name => "module reload";

    public override string Summary => "Remove a module and load it again from the same place with new arguments.";

    public override string Usage => "[-f] NAME [ARGS...]";

    public override bool StopAtPositional => true;

    public override IReadOnlyList<OptionSpec> Options => [new("force", 'f', null, "Load the module even if it was not loaded.")];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var name = args.Positionals[0];
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var list = await h.RpcAsync("module.list", null, NodeId.Any, ct).ConfigureAwait(false);
        var mod = (list?["mods"] as JsonArray)?.FirstOrDefault(m => m?["name"]?.GetValue<string>() == name);
        if (mod is null && !args.Has("force"))
        {
            throw new FluxException(Errno.ENOENT, $"module '{name}' is not loaded");
        }
        if (mod is not null)
        {
            await h.RpcAsync("module.remove", new JsonObject { ["name"] = name }, NodeId.Any, ct).ConfigureAwait(false);
        }
        var req = new JsonObject
        {
            ["path"] = mod?["path"]?.GetValue<string>() ?? name,
            ["name"] = name,
            ["args"] = new JsonArray([.. args.Positionals.Skip(1).Select(a => (JsonNode)a)]),
        };
        await h.RpcAsync("module.load", req, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}

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
            Console.WriteLine($"{name.PadRight(nameWidth)} {idleText,4} {m["status"]!.GetValue<string>()} {services}".TrimEnd());
            if (args.Has("long"))
            {
                var margs = string.Join(' ', (m["args"] as JsonArray ?? []).Select(a => a!.GetValue<string>()));
                Console.WriteLine($"{"",-4}path: {m["path"]!.GetValue<string>()}{(margs.Length > 0 ? "  args: " + margs : "")}");
            }
        }
        return 0;
    }
}

internal sealed class ModuleStatsCommand : Command
{
    public override string Name => "module stats";

    public override string Summary => "Show a module's message counters (messages in and out by type).";

    public override string Usage => "[-p KEY] [-c] NAME";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("parse", 'p', "KEY", "Print only the value of KEY (e.g. request.rx)."),
        new("clear", 'c', null, "Clear the counters."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        var name = args.Positionals[0];
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        if (args.Has("clear"))
        {
            await h.RpcAsync(name + ".stats-clear", null, NodeId.Any, ct).ConfigureAwait(false);
            return 0;
        }
        var stats = await h.RpcAsync(name + ".stats-get", null, NodeId.Any, ct).ConfigureAwait(false) ?? [];
        if (args.Get("parse") is { } key)
        {
            var v = stats[key] ?? throw new FluxException(Errno.ENOENT, $"{name}: no stat named '{key}'");
            Console.WriteLine(v.ToJsonString());
            return 0;
        }
        Console.WriteLine(stats.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }
}

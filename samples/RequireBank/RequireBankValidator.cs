// A sample validator: every job names a bank (attributes.system.bank), optionally one of a configured list.
//
//   [ingest.validator]
//   plugins = ["jobspec", "/path/to/samples/RequireBank/bin/Release/net10.0/RequireBank.dll"]
//   [ingest.validator.require-bank]
//   banks = ["physics", "chemistry"]          # optional: the banks jobs may name
//
//   flux submit true
//   -> flux-submit: jobs must name a bank: flux submit --setattr=system.bank=NAME (one of: physics, chemistry)
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace RequireBank;

[FluxPlugin("require-bank", PluginKind.Validator, Description = "Require attributes.system.bank (optionally one of conf banks)")]
public sealed class RequireBankValidator : IFluxPlugin
{
    private List<string>? _banks;

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        // Conf is this plugin's [ingest.validator.require-bank] table plus the stage's args; a bad value refuses the load.
        if (plugin.Conf["banks"] is JsonNode banks)
        {
            _banks = banks is JsonArray list && list.All(b => b is JsonValue v && v.TryGetValue(out string? _))
                ? [.. list.Select(b => b!.GetValue<string>())]
                : throw new FluxException(Errno.EINVAL, "banks must be an array of bank names");
        }
        plugin.Handle("job.validate", Validate);
    }

    private bool Validate(string topic, PluginArgs args)
    {
        var listed = _banks is { Count: > 0 } ? $" (one of: {string.Join(", ", _banks)})" : string.Empty;
        var bank = args.In["jobspec"]?["attributes"]?["system"]?["bank"];
        if (bank is not JsonValue value || !value.TryGetValue(out string? name) || name.Length == 0)
        {
            return args.Error($"jobs must name a bank: flux submit --setattr=system.bank=NAME{listed}");
        }
        if (_banks is { Count: > 0 } && !_banks.Contains(name))
        {
            return args.Error($"unknown bank '{name}'{listed}");
        }
        return true;
    }
}

// A sample frobnicator: a default project for jobs that name none, and a duration cap for everyone but the instance owner.
//
//   [ingest.frobnicator]
//   plugins = ["/path/to/samples/SiteDefaults/bin/Release/net10.0/SiteDefaults.dll"]
//   [ingest.frobnicator.site-defaults]
//   project = "general"        # set when the job names no attributes.system.project
//   guest-max-duration = 3600  # seconds; a guest's job asking for more (or for no limit) gets this
//
//   flux submit true; flux job info JOBID jobspec
//   -> "attributes": {"system": {"project": "general", ...}}
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace SiteDefaults;

[FluxPlugin("site-defaults", PluginKind.Frobnicator, Description = "Default project; cap guests' duration")]
public sealed class SiteDefaultsFrobnicator : IFluxPlugin
{
    // RFC 12 role bits: the instance owner's jobs are left as they are.
    private const uint OwnerRole = 1;

    private string? _project;
    private double _guestMaxDuration;

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        var conf = plugin.Conf;
        if (conf["project"] is JsonNode project)
        {
            _project = project is JsonValue v && v.TryGetValue(out string? p) && p.Length > 0
                ? p
                : throw new FluxException(Errno.EINVAL, "project must be a non-empty string");
        }
        if (conf["guest-max-duration"] is JsonNode max)
        {
            _guestMaxDuration = Seconds(max) is > 0 and var d
                ? d
                : throw new FluxException(Errno.EINVAL, "guest-max-duration must be a number of seconds > 0");
        }
        plugin.Handle("job.frobnicate", Frobnicate);
    }

    // Changes IN jobspec in place: the validators see the result, and it is what job-ingest stores.
    private bool Frobnicate(string topic, PluginArgs args)
    {
        if (args.In["jobspec"] is not JsonObject jobspec)
        {
            return args.Error("no jobspec");
        }
        if (jobspec["attributes"] is not JsonObject attributes)
        {
            jobspec["attributes"] = attributes = [];
        }
        if (attributes["system"] is not JsonObject system)
        {
            attributes["system"] = system = [];
        }
        if (_project is not null && system["project"] is null)
        {
            system["project"] = _project;
        }
        var guest = (args.In["rolemask"]!.GetValue<uint>() & OwnerRole) == 0;
        if (guest && _guestMaxDuration > 0)
        {
            // RFC 25: a duration of 0 (or none) means unlimited, which a guest does not get either.
            var asked = Seconds(system["duration"]) ?? 0;
            if (asked <= 0 || asked > _guestMaxDuration)
            {
                system["duration"] = _guestMaxDuration;
            }
        }
        return true;
    }

    // A JSON number whatever it holds (TOML integers arrive as long, jobspec numbers as JSON elements).
    private static double? Seconds(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) : null;
}

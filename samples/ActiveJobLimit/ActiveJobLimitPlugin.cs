// A sample jobtap plugin: at most `max` active (not yet inactive) jobs per user; more are rejected at submission.
//
//   flux jobtap load samples/ActiveJobLimit/bin/Release/net10.0/ActiveJobLimit.dll max=2
//   flux submit sleep 60; flux submit sleep 60; flux submit sleep 60
//   -> flux-submit: user 1000 already has 2 active jobs (limit 2): wait for one to finish
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace ActiveJobLimit;

[FluxPlugin("active-job-limit", PluginKind.Jobtap)]
public sealed class ActiveJobLimitPlugin : IFluxPlugin
{
    private readonly Dictionary<uint, int> _active = [];
    private int _max = int.MaxValue;

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        if (plugin.Conf["max"] is JsonNode max)
        {
            // A bad value refuses the load with this message.
            _max = max is JsonValue v && v.TryGetValue(out int n) && n >= 0 ? n : throw new FluxException(Errno.EINVAL, "max must be a count >= 0");
        }
        // Limits are checked at job.validate; accounting happens at job.new, which also runs for the jobs
        // already active when the plugin is loaded, and ends at job.inactive-add.
        plugin.Handle("job.validate", (_, args) =>
        {
            var user = args.In["userid"]!.GetValue<uint>();
            var count = _active.GetValueOrDefault(user);
            return count < _max || args.Error($"user {user} already has {count} active jobs (limit {_max}): wait for one to finish");
        });
        plugin.Handle("job.new", (_, args) =>
        {
            var user = args.In["userid"]!.GetValue<uint>();
            _active[user] = _active.GetValueOrDefault(user) + 1;
            return true;
        });
        plugin.Handle("job.inactive-add", (_, args) =>
        {
            var user = args.In["userid"]!.GetValue<uint>();
            if (--_active[user] == 0)
            {
                _active.Remove(user);
            }
            return true;
        });
        plugin.Handle("plugin.query", (_, args) =>
        {
            args.Out["max"] = _max;
            args.Out["active"] = new JsonObject([.. _active.Select(kv => KeyValuePair.Create(kv.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), (JsonNode?)kv.Value))]);
            return true;
        });
    }
}

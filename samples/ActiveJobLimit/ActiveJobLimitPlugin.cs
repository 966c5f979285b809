// A sample jobtap plugin: at most `max` active (not yet inactive) jobs per user; more are rejected at submission.
//
//   flux jobtap load samples/ActiveJobLimit/bin/Release/net10.0/ActiveJobLimit.dll max=2
//   flux submit sleep 60; flux submit sleep 60; flux submit sleep 60
//   -> flux-submit: user 1000 already has 2 active jobs (limit 2): wait for one to finish
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActiveJobLimit;

[FluxPlugin("active-job-limit", PluginKind.Jobtap)]
public sealed class ActiveJobLimitPlugin(IOptions<ActiveJobLimitSettings> settings) : IFluxPlugin, IPluginServices
{
    private readonly Dictionary<uint, int> _active = [];

    // The conf is bound before this runs: an unknown key (maxx=2) or a value that is not an integer
    // (max=lots) has already refused the load, naming the key. A bad value is refused here.
    private readonly int _max = settings.Value.Max >= 0 ? settings.Value.Max : throw new FluxException(Errno.EINVAL, "max must be a count >= 0");

    public static void ConfigureServices(IServiceCollection services) => services.AddFluxPluginConf<ActiveJobLimitSettings>();

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
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

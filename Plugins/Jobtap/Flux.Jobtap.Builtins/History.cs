// .history: per user, the submit times of their jobs still in the job manager (job.new adds, job.inactive-remove drops); shown by plugin.query.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace Flux.Jobtap.Builtins;

[FluxPlugin(".history", PluginKind.Jobtap)]
public sealed class History : IFluxPlugin
{
    private readonly Dictionary<uint, SortedDictionary<ulong, double>> _byUser = [];

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.Handle("job.new", OnNew);
        plugin.Handle("job.inactive-remove", OnRemove);
        plugin.Handle("plugin.query", OnQuery);
    }

    private bool OnNew(string topic, PluginArgs args)
    {
        var user = args.In["userid"]!.GetValue<uint>();
        if (!_byUser.TryGetValue(user, out var jobs))
        {
            _byUser[user] = jobs = [];
        }
        jobs[args.In["id"]!.GetValue<ulong>()] = args.In["t_submit"]!.GetValue<double>();
        return true;
    }

    private bool OnRemove(string topic, PluginArgs args)
    {
        var user = args.In["userid"]!.GetValue<uint>();
        if (_byUser.TryGetValue(user, out var jobs) && jobs.Remove(args.In["id"]!.GetValue<ulong>()) && jobs.Count == 0)
        {
            _byUser.Remove(user);
        }
        return true;
    }

    private bool OnQuery(string topic, PluginArgs args)
    {
        var users = new JsonObject();
        foreach (var (user, jobs) in _byUser.OrderBy(u => u.Key))
        {
            users[user.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonArray([.. jobs.Values.Order().Select(t => (JsonNode)t)]);
        }
        args.Out["users"] = users;
        return true;
    }
}

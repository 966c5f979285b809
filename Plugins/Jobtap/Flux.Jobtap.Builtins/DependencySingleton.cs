// .dependency-singleton: the `singleton` scheme holds a named job while another active job of its user has the same name.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.Jobtap.Builtins;

/// <summary>
/// As flux-core's dependency-singleton.c: per user and job name (<c>attributes.system.job.name</c>), the
/// count of active jobs and the list of those held by a <c>singleton</c> dependency. A singleton job
/// with no other active job of its name runs at once; otherwise it waits, and when a job of the name
/// goes inactive and every job still active is a held singleton, the oldest held one is released. Jobs
/// without a name are not counted; a singleton job without one is rejected.
/// </summary>
[FluxPlugin(".dependency-singleton", PluginKind.Jobtap)]
public sealed class DependencySingleton(IJobtap jobtap) : IFluxPlugin
{
    private const string Description = "singleton";

    // "userid:name" -> active jobs of that user and name, held singletons or not.
    private readonly Dictionary<string, int> _active = new(StringComparer.Ordinal);

    // "userid:name" -> jobs held by a singleton dependency, oldest first.
    private readonly Dictionary<string, List<ulong>> _held = new(StringComparer.Ordinal);

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.Handle("job.dependency.singleton", OnDependency);
        plugin.Handle("job.new", (_, args) => Count(args, +1));
        plugin.Handle("job.state.inactive", (_, args) => Count(args, -1));
        plugin.Handle("plugin.query", OnQuery);
    }

    private static string? Key(PluginArgs args) =>
        args.In["jobspec"]?["attributes"]?["system"]?["job"]?["name"] is JsonValue name && name.TryGetValue(out string? s)
            ? $"{args.In["userid"]!.GetValue<uint>()}:{s}"
            : null;

    private bool OnDependency(string topic, PluginArgs args)
    {
        if (Key(args) is not { } key)
        {
            return args.Error("singleton jobs require a job name");
        }
        // The job itself is not counted yet: job.dependency.* runs before job.new.
        if (_active.GetValueOrDefault(key) == 0)
        {
            return true;
        }
        jobtap.AddDependency(IJobtap.CurrentJob, Description);
        if (!_held.TryGetValue(key, out var held))
        {
            _held[key] = held = [];
        }
        held.Add(args.In["id"]!.GetValue<ulong>());
        return true;
    }

    private bool Count(PluginArgs args, int change)
    {
        if (Key(args) is not { } key)
        {
            return true;
        }
        _held.TryGetValue(key, out var held);
        if (change < 0 && held is not null)
        {
            // A held singleton that ends (canceled while waiting) is no longer waiting.
            held.Remove(args.In["id"]!.GetValue<ulong>());
        }
        var count = _active.GetValueOrDefault(key) + change;
        if (held is { Count: > 0 } && count == held.Count)
        {
            // Every active job of the name waits on a singleton dependency: the oldest goes.
            var next = held[0];
            held.RemoveAt(0);
            try
            {
                jobtap.RemoveDependency(next, Description);
            }
            catch (FluxException)
            {
                jobtap.RaiseException(next, "dependency", 0, "failed to remove singleton dependency");
            }
        }
        if (held is { Count: 0 })
        {
            _held.Remove(key);
        }
        if (count > 0)
        {
            _active[key] = count;
        }
        else
        {
            _active.Remove(key);
        }
        return true;
    }

    private bool OnQuery(string topic, PluginArgs args)
    {
        foreach (var (key, count) in _active)
        {
            var held = new JsonArray();
            foreach (var id in _held.GetValueOrDefault(key) ?? [])
            {
                held.Add(id);
            }
            args.Out[key] = new JsonObject { ["count"] = count, ["singletons"] = held };
        }
        return true;
    }
}

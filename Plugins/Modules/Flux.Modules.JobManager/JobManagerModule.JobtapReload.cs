// Reconfiguring a builtin jobtap plugin: `flux jobtap load --remove=.NAME .NAME KEY=VAL...` reloads it in place with a new conf.
using System.Text.Json.Nodes;
using Flux.Abstractions;

namespace Flux.Modules.JobManager;

public sealed partial class JobManagerModule
{
    /// <summary>
    /// flux-core configures a builtin by removing and loading it again (t2290: <c>.update-duration
    /// owner-allow-any=0</c>). Builtins are never left unloaded here, so the pair must come in one
    /// request, remove and load naming the same builtin: it is loaded anew with <paramref name="conf"/>
    /// at its place in the load order, and the old one goes only once the new one has loaded (a
    /// refused conf leaves the old one in force). Returns false when the request is not such a pair.
    /// </summary>
    private bool TryReloadBuiltin(string? remove, string? load, JsonObject conf)
    {
        if (remove is null || remove != load || _plugins.FindIndex(p => p.IsBuiltin && p.Name == load) is not (>= 0 and var at))
        {
            return false;
        }
        var old = _plugins[at];
        if (old.Loaded is null)
        {
            throw new FluxException(Errno.EINVAL, $"{load}: this builtin is part of job-manager and takes no configuration");
        }
        _plugins.RemoveAt(at);
        _topicHandlers.Clear();
        List<JobtapPlugin> added;
        try
        {
            added = LoadPlugins(old.Loaded.Path, conf, n => n == load, builtin: true);
        }
        catch
        {
            _plugins.Insert(at, old);
            _topicHandlers.Clear();
            throw;
        }
        // LoadPlugins appended it: back to the old one's place, so the call order stays the same.
        _plugins.Remove(added[0]);
        _plugins.Insert(at, added[0]);
        _topicHandlers.Clear();
        foreach (var job in _jobs.Values)
        {
            if (job.Aux is { } aux)
            {
                foreach (var k in aux.Keys.Where(k => k.Plugin == old).ToList())
                {
                    aux.Remove(k);
                }
            }
        }
        old.Unload();
        JobtapLog.Removed(log, old.Name);
        return true;
    }
}

// Loading and removing jobtap plugins: builtins and [job-manager] plugins at start, the jobtap and jobtap-query RPCs, conf.update.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;
using Microsoft.Extensions.DependencyInjection;

namespace Flux.Modules.JobManager;

public sealed partial class JobManagerModule
{
    /// <summary>
    /// Loads every builtin (a name with a leading dot) found on the jobtap path, each assembly's
    /// builtins together, then the <c>[job-manager] plugins</c> entries in order. Read once: later
    /// edits of that list are ignored (jobtap.c), use <c>flux jobtap</c> at run time.
    /// </summary>
    private void LoadJobtapAtStart(FluxConfig config)
    {
        var builtins = plugins.Available(PluginKind.Jobtap).Where(p => p.Name.StartsWith('.')).ToList();
        if (!builtins.Any(b => b.Name == ".priority-default"))
        {
            throw new FluxException(Errno.ENOENT,
                $"builtin jobtap plugin .priority-default not found on the jobtap path ({string.Join(":", plugins.SearchPath(PluginKind.Jobtap))})");
        }
        foreach (var group in builtins.GroupBy(b => b.Path))
        {
            var names = group.Select(b => b.Name).ToHashSet(StringComparer.Ordinal);
            LoadPlugins(group.Key, [], names.Contains, builtin: true);
        }
        LoadUpdateQueueBuiltin();
        if (config.GetArray("job-manager.plugins") is not { } entries)
        {
            return;
        }
        for (var i = 0; i < entries.Count; i++)
        {
            var key = $"job-manager.plugins[{i}]";
            if (entries[i] is not JsonObject entry)
            {
                throw config.Error(key, "expected a table {load = \"NAME|PATH\", conf = {...}, remove = \"GLOB\"}", entries[i]);
            }
            config.CheckKeys(entry, key, "load", "conf", "remove");
            if (entry["remove"] is { } rm)
            {
                RemovePlugins(rm.GetValue<string>());
            }
            if (entry["load"] is { } load)
            {
                var conf = entry["conf"] switch
                {
                    null => [],
                    JsonObject o => (JsonObject)o.DeepClone(),
                    var other => throw config.Error(key + ".conf", "expected a table", other),
                };
                // A plugin that cannot be loaded (flux-accounting's mf_priority.so in a config written
                // for flux-core, say) is logged, naming the entry, and the instance still starts;
                // an ill-formed entry above is a configuration error and stops it.
                try
                {
                    LoadPlugins(load.GetValue<string>(), conf, null, builtin: false, (key + ".conf", config));
                }
                catch (FluxException ex)
                {
                    JobtapLog.ConfigLoadFailed(log, key, ex.Message);
                }
            }
        }
    }

    /// <summary>
    /// Loads the jobtap plugins <paramref name="spec"/> names, each given <paramref name="conf"/> as its
    /// <c>IPluginRegistrar.Conf</c> and as its <see cref="PluginConf"/> (what <c>AddFluxPluginConf</c>
    /// binds), whose errors name the table <paramref name="source"/> gives (the config entry's path and
    /// the configuration it is in), else <c>[conf]</c> (a request's).
    /// </summary>
    private List<JobtapPlugin> LoadPlugins(string spec, JsonObject conf, Func<string, bool>? filter, bool builtin, (string Path, FluxConfig Config)? source = null)
    {
        var created = new Dictionary<string, JobtapPlugin>(StringComparer.Ordinal);
        var loaded = plugins.Load(spec, PluginKind.Jobtap, filter, (name, s) =>
        {
            // Through JSON text: a conf from TOML holds CLR longs, one from the RPC parsed JSON; a plugin
            // reading max as an int (TryGetValue<int>) must see the same either way.
            var p = new JobtapPlugin(this, flux, name, JsonNode.Parse(conf.ToJsonString())!.AsObject(), log);
            created[name] = p;
            s.AddSingleton<IJobtap>(p);
            s.AddSingleton<IFlux>(p.Flux);
            s.AddSingleton(new PluginConf(PluginKind.Jobtap, name, p.Conf, source?.Path ?? "conf", source?.Config));
        });
        var added = new List<JobtapPlugin>();
        try
        {
            foreach (var l in loaded)
            {
                var p = created[l.Name];
                p.Loaded = l;
                p.Path = builtin ? null : l.Path;
                if (_plugins.Any(x => x.Name == l.Name))
                {
                    throw new FluxException(Errno.EEXIST, $"{l.Name} already loaded");
                }
                if (!builtin && p.IsBuiltin)
                {
                    throw new FluxException(Errno.EINVAL, $"{l.Name}: names with a leading dot are reserved for builtin plugins");
                }
                if (l.Instance is not IFluxPlugin fp)
                {
                    throw new FluxException(Errno.EINVAL, $"{l.Name}: {l.Instance.GetType().Name} does not implement IFluxPlugin");
                }
                fp.Register(p);
                var args = new PluginArgs(() => new JsonObject { ["conf"] = flux.Config.Root.DeepClone() });
                if (p.HandlerFor("conf.update") is { } h && !Invoke(p, h, "conf.update", args))
                {
                    throw new FluxException(Errno.EINVAL, $"{l.Name}: {args.ErrorMessage}");
                }
                added.Add(p);
            }
        }
        catch
        {
            foreach (var p in created.Values)
            {
                p.Flux.Unload();
            }
            foreach (var l in loaded)
            {
                l.Dispose();
            }
            throw;
        }
        foreach (var p in added)
        {
            _plugins.Add(p);
            _topicHandlers.Clear();
            JobtapLog.Loaded(log, p.Name, p.Path ?? "builtin");
            // The new plugin learns of the jobs already here (jobtap.c): job.create and job.new per
            // active job, and a job still in DEPEND its dependencies and job.state.depend.
            foreach (var job in _jobs.Values.Where(j => j.State != JobState.Inactive).OrderBy(j => j.Id).ToList())
            {
                CallJob(job, "job.create", new PluginArgs(() => JobArgs(job)), only: p);
                CallJob(job, "job.new", new PluginArgs(() => JobArgs(job)), only: p);
                if (job.State == JobState.Depend)
                {
                    CheckDependencies(job, p);
                    if (job.State == JobState.Depend)
                    {
                        CallJob(job, StateTopic(JobState.Depend), new PluginArgs(() => JobArgs(job)), only: p);
                    }
                }
            }
        }
        ReprioritizeAll();
        return added;
    }

    private void RemovePlugins(string glob)
    {
        if (glob.StartsWith('.') && _plugins.Any(p => p.IsBuiltin && TopicGlob.Match(glob, p.Name)))
        {
            throw new FluxException(Errno.EINVAL, $"{glob}: builtin plugins cannot be removed");
        }
        var victims = _plugins.Where(p => !p.IsBuiltin && (glob == "all" || TopicGlob.Match(glob, p.Name, period: true))).ToList();
        if (victims.Count == 0)
        {
            throw new FluxException(Errno.ENOENT, $"Failed to find plugin to remove: {glob}");
        }
        foreach (var p in victims)
        {
            _plugins.Remove(p);
            _topicHandlers.Clear();
            foreach (var job in _jobs.Values.Where(j => j.Aux is not null))
            {
                foreach (var k in job.Aux!.Keys.Where(k => k.Plugin == p).ToList())
                {
                    job.Aux.Remove(k);
                }
            }
            p.Unload();
            JobtapLog.Removed(log, p.Name);
        }
    }

    /// <summary><c>job-manager.jobtap {load?, conf?, remove?, query_only?}</c> → <c>{plugins:[names]}</c> (remove first, as jobtap.c does).</summary>
    private ValueTask OnJobtap(Message msg)
    {
        var req = msg.GetJsonOrNull() ?? [];
        if (!(req["query_only"]?.GetValue<bool>() ?? false))
        {
            var remove = req["remove"]?.GetValue<string>();
            var load = req["load"]?.GetValue<string>();
            var conf = req["conf"] switch
            {
                null => [],
                JsonObject o => (JsonObject)o.DeepClone(),
                _ => throw new FluxException(Errno.EINVAL, "plugin conf must be a JSON object"),
            };
            if (!TryReloadBuiltin(remove, load, conf))
            {
                if (remove is not null)
                {
                    RemovePlugins(remove);
                }
                if (load is not null)
                {
                    LoadPlugins(load, conf, null, builtin: false);
                }
            }
        }
        flux.Respond(msg, new JsonObject { ["plugins"] = new JsonArray([.. _plugins.Select(p => (JsonNode)p.Name)]) });
        return ValueTask.CompletedTask;
    }

    /// <summary><c>job-manager.jobtap-query {name}</c> → the plugin's plugin.query OUT, pre-filled with name and path.</summary>
    private ValueTask OnJobtapQuery(Message msg)
    {
        var name = msg.GetJson()["name"]?.GetValue<string>() ?? throw new FluxException(Errno.EPROTO, "missing plugin name");
        var p = _plugins.FirstOrDefault(x => x.Name == name) ?? throw new FluxException(Errno.ENOENT, $"{name}: no such plugin loaded");
        var args = new PluginArgs();
        args.Out["name"] = p.Name;
        args.Out["path"] = p.Path ?? "builtin";
        if (p.HandlerFor("plugin.query") is { } h && !Invoke(p, h, "plugin.query", args))
        {
            throw new FluxException(Errno.EINVAL, args.ErrorMessage!);
        }
        flux.Respond(msg, args.Out);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// conf.update for every plugin with the proposed configuration (flux config reload, SIGHUP); the
    /// first refusal refuses the reload, naming the plugin. The plugins that took the new
    /// configuration before it get the current one back, so every plugin keeps the old one.
    /// </summary>
    private void JobtapConfUpdate(FluxConfig proposed)
    {
        var accepted = new List<JobtapPlugin>();
        foreach (var p in _plugins)
        {
            if (p.HandlerFor("conf.update") is not { } h)
            {
                continue;
            }
            var args = new PluginArgs(() => new JsonObject { ["conf"] = proposed.Root.DeepClone() });
            if (!Invoke(p, h, "conf.update", args))
            {
                var current = flux.Config;
                foreach (var back in Enumerable.Reverse(accepted))
                {
                    var restore = new PluginArgs(() => new JsonObject { ["conf"] = current.Root.DeepClone() });
                    if (!Invoke(back, back.HandlerFor("conf.update")!, "conf.update", restore))
                    {
                        JobtapLog.ConfRestoreFailed(log, back.Name, restore.ErrorMessage ?? string.Empty);
                    }
                }
                throw new FluxException(Errno.EINVAL, $"jobtap plugin {p.Name}: {args.ErrorMessage}");
            }
            accepted.Add(p);
        }
    }

    private void UnloadJobtap()
    {
        foreach (var p in Enumerable.Reverse(_plugins).ToList())
        {
            p.Unload();
        }
        _plugins.Clear();
        _topicHandlers.Clear();
    }
}

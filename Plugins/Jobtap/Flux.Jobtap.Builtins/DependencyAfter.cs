// .dependency-after: the RFC 26 schemes after (afterstart), afterany, afterok, afternotok: a job waits in DEPEND on another's progress.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.Jobtap.Builtins;

[FluxPlugin(".dependency-after", PluginKind.Jobtap)]
public sealed class DependencyAfter(IJobtap jobtap) : IFluxPlugin
{
    private const string DependentsKey = "dependents";
    private const string StartedKey = "started";
    private int _waiting;

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.Handle("job.dependency.after*", OnDependency);
        plugin.Handle("job.event.*", OnTargetEvent);
        plugin.Handle("plugin.query", (_, args) =>
        {
            args.Out["waiting"] = _waiting;
            return true;
        });
    }

    private bool OnDependency(string topic, PluginArgs args)
    {
        var dep = args.In["dependency"]!.AsObject();
        var scheme = dep["scheme"]!.GetValue<string>();
        if (scheme is not ("after" or "afterstart" or "afterany" or "afterok" or "afternotok"))
        {
            return args.Error($"dependency scheme \"{scheme}\" not supported");
        }
        var value = dep["value"]?.ToString() ?? string.Empty;
        if (!Fluid.TryParse(value, out var target))
        {
            return args.Error($"{scheme}: \"{value}\" is not a valid jobid");
        }
        JsonObject t;
        try
        {
            t = jobtap.Lookup(target);
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOENT)
        {
            return args.Error($"{scheme}: job {value} not found");
        }
        if (t["userid"]!.GetValue<uint>() != args.In["userid"]!.GetValue<uint>())
        {
            return args.Error($"{scheme}: Permission denied for job {value}");
        }
        var description = $"{scheme}={Fluid.Encode(target, FluidEncoding.F58)}";
        var started = jobtap.EventPosted(target, JobEventNames.Start);
        var inactive = ((JobState)t["state"]!.GetValue<int>()) == JobState.Inactive;
        if (IsAfterStart(scheme) && started)
        {
            return true;
        }
        if (inactive)
        {
            return Satisfied(scheme, started, t["end_event"]) ? true : args.Error($"dependency {description} can never be satisfied");
        }
        jobtap.AddDependency(IJobtap.CurrentJob, description);
        var me = args.In["id"]!.GetValue<ulong>();
        if (jobtap.GetAux(target, DependentsKey) is not List<(ulong Job, string Scheme, string Description)> list)
        {
            jobtap.SetAux(target, DependentsKey, list = []);
            jobtap.Subscribe(target);
        }
        list.Add((me, scheme, description));
        _waiting++;
        return true;
    }

    private static bool IsAfterStart(string scheme) => scheme is "after" or "afterstart";

    /// <summary>Whether a dependency on an inactive job is met, from whether it started and the event that ended it.</summary>
    private static bool Satisfied(string scheme, bool started, JsonNode? endEvent)
    {
        var ok = endEvent?["name"]?.GetValue<string>() == JobEventNames.Finish && endEvent["context"]?["status"]?.GetValue<int>() == 0;
        return scheme switch
        {
            "afterany" => true,
            "afterok" => ok,
            "afternotok" => !ok,
            _ => started,
        };
    }

    private bool OnTargetEvent(string topic, PluginArgs args)
    {
        var name = topic["job.event.".Length..];
        if (name is not (JobEventNames.Start or JobEventNames.Clean))
        {
            return true;
        }
        if (jobtap.GetAux(IJobtap.CurrentJob, DependentsKey) is not List<(ulong Job, string Scheme, string Description)> list)
        {
            return true;
        }
        if (name == JobEventNames.Start)
        {
            jobtap.SetAux(IJobtap.CurrentJob, StartedKey, true);
            Release(list, list.Where(d => IsAfterStart(d.Scheme)).ToList(), satisfied: true);
            return true;
        }
        var started = jobtap.GetAux(IJobtap.CurrentJob, StartedKey) is true;
        var endEvent = args.In["end_event"];
        foreach (var d in list.ToList())
        {
            Release(list, [d], Satisfied(d.Scheme, started, endEvent));
        }
        jobtap.Unsubscribe(IJobtap.CurrentJob);
        return true;
    }

    private void Release(List<(ulong Job, string Scheme, string Description)> list, List<(ulong Job, string Scheme, string Description)> which, bool satisfied)
    {
        foreach (var d in which)
        {
            list.Remove(d);
            _waiting--;
            try
            {
                if (satisfied)
                {
                    jobtap.RemoveDependency(d.Job, d.Description);
                }
                else
                {
                    jobtap.RaiseException(d.Job, "dependency", 0, $"dependency {d.Description} can never be satisfied");
                }
            }
            catch (FluxException ex) when (ex.Errnum is Errno.ENOENT or Errno.EINVAL)
            {
                // The dependent job was canceled or purged meanwhile: nothing waits any more.
            }
        }
    }
}

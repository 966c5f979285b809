// Jobtap plugins as a plugin author writes them, for the tests: one refuses jobs at job.validate, one posts an event per new job.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace Flux.Testing.Tests;

/// <summary>Rejects every job at job.validate with its conf's <c>message</c> (default "no jobs today").</summary>
[FluxPlugin("reject-all", PluginKind.Jobtap)]
public sealed class RejectAllPlugin : IFluxPlugin
{
    public void Register(IPluginRegistrar plugin)
    {
        var message = plugin.Conf["message"]?.GetValue<string>() ?? "no jobs today";
        plugin.Handle("job.validate", (_, args) => args.Error(message));
    }
}

/// <summary>Posts an event named by its conf's <c>event</c> (default "stamped") on every new job, with the job's urgency in its context.</summary>
[FluxPlugin("stamp", PluginKind.Jobtap)]
public sealed class StampPlugin(IJobtap jobtap) : IFluxPlugin
{
    public void Register(IPluginRegistrar plugin)
    {
        var name = plugin.Conf["event"]?.GetValue<string>() ?? "stamped";
        if (name.Length == 0)
        {
            throw new FluxException(Errno.EINVAL, "stamp: conf event must not be empty");
        }
        plugin.Handle("job.new", (_, args) =>
        {
            jobtap.PostEvent(IJobtap.CurrentJob, name, new JsonObject { ["urgency"] = args.In["urgency"]!.GetValue<int>() });
            return true;
        });
    }
}

/// <summary>A validator, which job-manager must refuse as a jobtap plugin.</summary>
[FluxPlugin("not-jobtap", PluginKind.Validator)]
public sealed class NotAJobtapPlugin : IFluxPlugin
{
    public void Register(IPluginRegistrar plugin) => plugin.Handle("job.validate", (_, _) => true);
}

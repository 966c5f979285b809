// .update-duration: allows flux update of attributes.system.duration; the instance owner may exceed limits unless owner-allow-any=0.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.Jobtap.Builtins;

/// <summary>
/// As flux-core's update-duration.c: a user may change a pending job's duration (job.validate then
/// checks the updated jobspec against the limits); the owner may also change a running job's, and
/// the owner's update skips validation unless the plugin's conf has <c>owner-allow-any=0</c>.
/// </summary>
[FluxPlugin(".update-duration", PluginKind.Jobtap)]
public sealed class UpdateDuration : IFluxPlugin
{
    private bool _ownerAllowAny = true;

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        if (plugin.Conf["owner-allow-any"] is JsonValue v)
        {
            _ownerAllowAny = v.GetValueKind() switch
            {
                System.Text.Json.JsonValueKind.False => false,
                System.Text.Json.JsonValueKind.Number or System.Text.Json.JsonValueKind.String => v.ToString() is not "0",
                _ => true,
            };
        }
        plugin.Handle("job.update.attributes.system.duration", OnUpdate);
    }

    private bool OnUpdate(string topic, PluginArgs args)
    {
        if (args.In["value"] is not JsonValue value || !value.TryGetValue(out double duration)
            || args.In["state"] is not JsonValue s || !s.TryGetValue(out int state)
            || args.In["cred"]?["rolemask"] is not JsonValue r || !r.TryGetValue(out int rolemask))
        {
            return args.Error("plugin args unpack failed");
        }
        if (duration < 0)
        {
            return args.Error("duration must not be negative");
        }
        var owner = (rolemask & (int)FluxRole.Owner) != 0;
        if ((JobState)state is JobState.Run or JobState.Cleanup && (!owner || !_ownerAllowAny))
        {
            return args.Error("duration update of running job requires instance owner privileges");
        }
        if (owner && _ownerAllowAny)
        {
            args.Out["validated"] = 1;
        }
        return true;
    }
}

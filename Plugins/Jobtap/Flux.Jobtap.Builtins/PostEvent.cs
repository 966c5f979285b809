// .post-event: the service job-manager.post-event.post {id, name, context?} posts an event to a job's eventlog by hand (owner only).
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace Flux.Jobtap.Builtins;

[FluxPlugin(".post-event", PluginKind.Jobtap)]
public sealed class PostEvent(IJobtap jobtap, IFlux flux) : IFluxPlugin
{
    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        jobtap.RegisterService("post", OnPost);
    }

    private ValueTask OnPost(Message msg)
    {
        var req = msg.GetJson();
        var id = req["id"]?.GetValue<ulong>() ?? throw new FluxException(Errno.EPROTO, "missing job id");
        var name = req["name"]?.GetValue<string>() ?? throw new FluxException(Errno.EPROTO, "missing event name");
        if (name.Length == 0 || name.Any(char.IsWhiteSpace))
        {
            throw new FluxException(Errno.EINVAL, "event name must be a non-empty word");
        }
        var context = req["context"] switch
        {
            null => null,
            JsonObject o => (JsonObject)o.DeepClone(),
            _ => throw new FluxException(Errno.EPROTO, "context must be an object"),
        };
        jobtap.PostEvent(id, name, context);
        flux.Respond(msg);
        return ValueTask.CompletedTask;
    }
}

// The constraints frobnicator: a job in a queue with `requires` gets those properties as constraints (RFC 31), as flux-core's does.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;

namespace Flux.Validators.Builtins;

/// <summary>
/// Adds <c>[queues.NAME] requires</c> of the job's queue to <c>attributes.system.constraints</c>: appended
/// to a top-level <c>properties</c> list, else joined to the existing constraint with <c>and</c>, else set
/// as <c>{"properties": [...]}</c>. A virtual queue (with a <c>parent</c>) takes its parent's.
/// </summary>
[FluxPlugin("constraints", PluginKind.Frobnicator, Description = "Apply constraints to incoming jobspec based on broker config.")]
public sealed class ConstraintsFrobnicator : IFluxPlugin
{
    private JsonObject _queues = [];

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        plugin.Handle("conf.update", (_, args) =>
        {
            _queues = (args.In["conf"]?["queues"] as JsonObject)?.DeepClone() as JsonObject ?? [];
            return true;
        });
        plugin.Handle("job.frobnicate", Frobnicate);
    }

    private bool Frobnicate(string topic, PluginArgs args)
    {
        if (args.In["jobspec"]?["attributes"]?["system"] is not JsonObject sys
            || sys["queue"]?.GetValue<string>() is not { } queue
            || _queues[queue] is not JsonObject entry)
        {
            return true;
        }
        if (entry["parent"]?.GetValue<string>() is { } parent)
        {
            entry = _queues[parent] as JsonObject ?? throw new FluxException(Errno.EINVAL, $"queue '{queue}': parent queue '{parent}' is not configured");
        }
        if (entry["requires"] is not JsonArray requires || requires.Count == 0)
        {
            return true;
        }
        switch (sys["constraints"])
        {
            case JsonObject c when c["properties"] is JsonArray props:
                foreach (var r in requires.Where(r => !props.Any(p => JsonNode.DeepEquals(p, r))))
                {
                    props.Add(r!.DeepClone());
                }
                break;
            case JsonObject c:
                sys["constraints"] = new JsonObject { ["and"] = new JsonArray(c.DeepClone(), new JsonObject { ["properties"] = requires.DeepClone() }) };
                break;
            default:
                sys["constraints"] = new JsonObject { ["properties"] = requires.DeepClone() };
                break;
        }
        return true;
    }
}

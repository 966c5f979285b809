// The require-instance validator: only new Flux instances (flux batch, flux alloc, flux start/broker) may be submitted directly.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Plugins;
using Flux.Formats;

namespace Flux.Validators.Builtins;

/// <summary>
/// Rejects a job unless it is a new instance of Flux: <c>attributes.system.batch</c> is set (flux
/// batch), or its command starts <c>flux broker</c> or <c>flux start</c> (flux alloc). As in
/// flux-core, <c>minnodes</c> and <c>mincores</c> (the <c>[ingest.validator.require-instance]</c>
/// table, or <c>--require-instance-minnodes=N</c> and <c>--require-instance-mincores=N</c> in args,
/// which win) exempt smaller jobs; minnodes alone sets mincores to 16 per node, so a cores-only
/// request cannot slip through. Nobody is exempt by identity, the instance owner included.
/// </summary>
[FluxPlugin("require-instance", PluginKind.Validator, Description = "Require that all jobs are new instances of Flux")]
public sealed class RequireInstanceValidator : IFluxPlugin
{
    private const string Advice = "Please use the flux-batch(1) or flux-alloc(1) commands.";
    private long _minNodes;
    private long _minCores;
    private string _message = "";

    public void Register(IPluginRegistrar plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        _minNodes = PluginOptions.Integer(plugin.Conf, "require-instance-minnodes", PluginOptions.Integer(plugin.Conf, "minnodes", 0));
        _minCores = PluginOptions.Integer(plugin.Conf, "require-instance-mincores", PluginOptions.Integer(plugin.Conf, "mincores", 0));
        if (_minNodes < 0 || _minCores < 0)
        {
            throw new FluxException(Errno.EINVAL, "minnodes and mincores must be >= 0");
        }
        if (_minNodes > 0 && _minCores == 0)
        {
            _minCores = 16 * _minNodes;
        }
        _message = _minNodes == 0 && _minCores == 0
            ? $"Direct job submission is disabled for this instance. {Advice}"
            : $"Direct job submission is disabled for jobs >={(_minNodes > 0 ? $" {_minNodes} nodes" : "")}{(_minNodes > 0 ? " or" : "")} {_minCores} cores in this instance. {Advice}";
        plugin.Handle("job.validate", Validate);
    }

    private bool Validate(string topic, PluginArgs args)
    {
        var jobspec = args.In["jobspec"];
        if (Small(jobspec) || jobspec?["attributes"]?["system"]?["batch"] is not null)
        {
            return true;
        }
        var command = jobspec?["tasks"]?[0]?["command"] as JsonArray;
        var arg0 = command is { Count: > 1 } && command[0] is JsonValue a && a.TryGetValue(out string? s) ? Path.GetFileName(s) : null;
        var arg1 = arg0 == "flux" && command![1] is JsonValue b && b.TryGetValue(out string? t) ? t : null;
        return arg1 is "broker" or "start" || args.Error(_message);
    }

    // Below both minimums: a count the jobspec does not mention (no node vertex, say) is not compared.
    private bool Small(JsonNode? jobspec)
    {
        var (nodes, cores, _) = PolicyLimits.Count(jobspec);
        return !(nodes > 0 && nodes >= _minNodes) && !(cores > 0 && cores >= _minCores);
    }
}

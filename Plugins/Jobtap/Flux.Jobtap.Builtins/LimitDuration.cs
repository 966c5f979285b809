// .limit-duration: rejects at job.validate a duration over policy.limits.duration (or the queue's); 0 is unlimited.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Jobtap.Builtins;

[FluxPlugin(".limit-duration", PluginKind.Jobtap)]
public sealed class LimitDuration : PolicyLimitPlugin
{
    protected override bool Configured(PolicyLimits limits) => limits.HasDuration;

    protected override string? Check(PolicyLimits limits, JsonNode? jobspec) => limits.CheckDuration(jobspec);
}

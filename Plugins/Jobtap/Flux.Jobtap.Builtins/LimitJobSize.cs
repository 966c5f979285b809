// .limit-job-size: rejects at job.validate a job over [policy.limits.job-size] max or under min (nnodes, ncores, ngpus); -1 is unlimited.
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Jobtap.Builtins;

[FluxPlugin(".limit-job-size", PluginKind.Jobtap)]
public sealed class LimitJobSize : PolicyLimitPlugin
{
    protected override bool Configured(PolicyLimits limits) => limits.HasJobSize;

    protected override string? Check(PolicyLimits limits, JsonNode? jobspec) => limits.CheckJobSize(jobspec);
}

// flux queue drain: wait until there are no active jobs (pending or running)
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class QueueDrainCommand : QueueWaitCommand
{
    public override string Name => "queue drain";

    public override string Summary => "Wait until there are no active jobs (pending or running).";

    protected override string Method => "queue-drain";
}

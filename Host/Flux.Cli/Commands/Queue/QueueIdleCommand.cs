// flux queue idle: wait until no job is running
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class QueueIdleCommand : QueueWaitCommand
{
    public override string Name => "queue idle";

    public override string Summary => "Wait until no job is running.";

    protected override string Method => "queue-idle";
}

// flux queue stop: stop scheduling: queued jobs wait, running jobs continue
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class QueueStopCommand : QueueSwitchCommand
{
    public override string Name => "queue stop";

    public override string Summary => "Stop scheduling: queued jobs wait, running jobs continue.";

    protected override string Method => "queue-start";

    protected override string Field => "start";

    protected override bool Value => false;
}

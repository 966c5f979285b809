// flux queue start: start scheduling jobs
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class QueueStartCommand : QueueSwitchCommand
{
    public override string Name => "queue start";

    public override string Summary => "Start scheduling jobs.";

    protected override string Method => "queue-start";

    protected override string Field => "start";

    protected override bool Value => true;
}

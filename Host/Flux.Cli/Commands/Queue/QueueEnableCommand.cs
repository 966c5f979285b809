// flux queue enable: allow jobs to be submitted
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class QueueEnableCommand : QueueSwitchCommand
{
    public override string Name => "queue enable";

    public override string Summary => "Allow jobs to be submitted.";

    protected override string Method => "queue-enable";

    protected override string Field => "enable";

    protected override bool Value => true;
}

// flux queue disable: refuse new submissions (jobs already queued stay)
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class QueueDisableCommand : QueueSwitchCommand
{
    public override string Name => "queue disable";

    public override string Summary => "Refuse new submissions (jobs already queued stay).";

    protected override string Method => "queue-enable";

    protected override string Field => "enable";

    protected override bool Value => false;
}

// flux queue enable: allow jobs to be submitted.
namespace Flux.Cli.Commands;

internal sealed class QueueEnableCommand() : QueueSwitchCommand("queue enable", "Allow jobs to be submitted.", "queue-enable", "enable", value: true);

// flux queue disable: refuse new submissions; jobs already queued stay.
namespace Flux.Cli.Commands;

internal sealed class QueueDisableCommand() : QueueSwitchCommand("queue disable", "Refuse new submissions (jobs already queued stay).", "queue-enable", "enable", value: false);

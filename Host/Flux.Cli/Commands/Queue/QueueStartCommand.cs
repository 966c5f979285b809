// flux queue start: start scheduling jobs.
namespace Flux.Cli.Commands;

internal sealed class QueueStartCommand() : QueueSwitchCommand("queue start", "Start scheduling jobs.", "queue-start", "start", value: true);

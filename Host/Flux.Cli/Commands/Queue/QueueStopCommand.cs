// flux queue stop: stop scheduling; queued jobs wait, running jobs continue.
namespace Flux.Cli.Commands;

internal sealed class QueueStopCommand() : QueueSwitchCommand("queue stop", "Stop scheduling: queued jobs wait, running jobs continue.", "queue-start", "start", value: false);

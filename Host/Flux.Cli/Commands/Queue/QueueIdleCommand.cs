// flux queue idle: wait until no job is running.
namespace Flux.Cli.Commands;

internal sealed class QueueIdleCommand() : QueueWaitCommand("queue idle", "Wait until no job is running.", "queue-idle", waitsForPending: false);

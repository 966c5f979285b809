// flux queue drain: wait until there are no active jobs (pending or running).
namespace Flux.Cli.Commands;

internal sealed class QueueDrainCommand() : QueueWaitCommand("queue drain", "Wait until there are no active jobs (pending or running).", "queue-drain", waitsForPending: true);

// flux content flush: write every dirty blob of the content cache to the backing store
namespace Flux.Cli.Commands;

internal sealed class ContentFlushCommand() : ContentRequestCommand("content.flush")
{
    public override string Name => "content flush";

    public override string Summary => "Write every dirty blob of the content cache to the backing store.";
}

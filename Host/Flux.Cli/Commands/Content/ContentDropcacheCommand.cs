// flux content dropcache: drop the clean (already stored) blobs from the content cache
namespace Flux.Cli.Commands;

internal sealed class ContentDropcacheCommand() : ContentRequestCommand("content.dropcache")
{
    public override string Name => "content dropcache";

    public override string Summary => "Drop the clean (already stored) blobs from the content cache.";
}

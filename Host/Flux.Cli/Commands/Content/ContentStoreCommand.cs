// flux content store: store standard input as a blob and print its blobref
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class ContentStoreCommand : Command
{
    public override string Name => "content store";

    public override string Summary => "Store standard input as a blob and print its blobref.";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var blob = KvsClient.ReadStdin();
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var req = new Message(MessageType.Request) { Topic = "content.store", NodeIdTarget = NodeId.Any };
        req.SetPayload(blob);
        var resp = await h.RequestAsync(req, ct).ConfigureAwait(false);
        var algo = await h.GetAttrAsync("content.hash", ct).ConfigureAwait(false) ?? "sha1";
        Console.WriteLine($"{algo}-{Convert.ToHexStringLower(resp.Payload.Span)}");
        return 0;
    }
}

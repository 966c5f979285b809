// flux content load: write the blob named by BLOBREF (e.g. sha1-...) to standard output
using Flux.Abstractions;

namespace Flux.Cli.Commands;

internal sealed class ContentLoadCommand : Command
{
    public override string Name => "content load";

    public override string Summary => "Write the blob named by BLOBREF (e.g. sha1-...) to standard output.";

    public override string Usage => "BLOBREF";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        var blobref = args.Positionals[0];
        var dash = blobref.IndexOf('-', StringComparison.Ordinal);
        byte[] digest;
        try
        {
            digest = dash > 0 ? Convert.FromHexString(blobref.AsSpan(dash + 1)) : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new FluxException(Errno.EINVAL, $"invalid blobref '{blobref}' (expected ALGO-HEXDIGITS, e.g. sha1-...)");
        }
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var req = new Message(MessageType.Request) { Topic = "content.load", NodeIdTarget = NodeId.Any };
        req.SetPayload(digest);
        Message resp;
        try
        {
            resp = await h.RequestAsync(req, ct).ConfigureAwait(false);
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOENT)
        {
            throw new FluxException(Errno.ENOENT, $"{blobref}: No such blob");
        }
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(resp.Payload.Span);
        return 0;
    }
}

// flux content load|store|flush|dropcache|gc: the RFC 10 content store, online, and GC of a statedir offline.
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client;
using Flux.Client.Connectors;

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

internal sealed class ContentFlushCommand : Command
{
    public override string Name => "content flush";

    public override string Summary => "Write every dirty blob of the content cache to the backing store.";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await h.RpcAsync("content.flush", null, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}

internal sealed class ContentDropcacheCommand : Command
{
    public override string Name => "content dropcache";

    public override string Summary => "Drop the clean (already stored) blobs from the content cache.";

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await h.RpcAsync("content.dropcache", null, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}

internal sealed class ContentGcCommand : Command
{
    public override string Name => "content gc";

    public override string Summary => "Offline: remove the blobs of a stopped instance's statedir that its KVS no longer reaches.";

    public override string Usage => "--statedir=DIR";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("statedir", 'S', "DIR", "The statedir of a stopped instance (holding content.sqlite)."),
        new("quiet", 'q', null, "Print nothing."),
    ];

    public override string Details => """
        The instance must be stopped; for a running one use 'flux shutdown --gc'. The KVS is loaded
        from its last checkpoint, the blobs it reaches are kept and the others removed.

        Example: flux content gc --statedir=/var/lib/flux
        """;

    public override Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        var dir = args.Get("statedir") ?? throw new UsageException("--statedir=DIR is required");
        var db = Path.Combine(dir, "content.sqlite");
        if (!File.Exists(db))
        {
            throw new FluxException(Errno.ENOENT, $"{db}: No such file or directory");
        }
        // A broker with only the storage modules runs the collection: see ContentGcInstanceCommand.
        var broker = new BrokerCommandLine { ProgramName = "flux-content" };
        broker.Attributes["statedir"] = Path.GetFullPath(dir);
        broker.Attributes["broker.rc1_path"] = "content,content-sqlite,kvs";
        broker.InitialProgram = [BrokerExec.FluxExecutable, "content", "gc-instance", .. args.Has("quiet") ? new[] { "--quiet" } : []];
        return Task.FromResult(BrokerExec.Exec(broker));
    }
}

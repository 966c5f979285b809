// flux kvs put: set KEY to VALUE for each KEY=VALUE, in one atomic transaction
using System.Text;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

internal sealed class KvsPutCommand : Command
{
    public override string Name => "kvs put";

    public override string Summary => "Set KEY to VALUE for each KEY=VALUE, in one atomic transaction.";

    public override string Usage => "[OPTIONS] KEY=VALUE [KEY=VALUE...]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        KvsClient.NamespaceOption,
        new("raw", 'r', null, "Store VALUE as it is; VALUE '-' reads it from standard input."),
        new("treeobj", 't', null, "VALUE is an RFC 11 tree object to store as the key's entry."),
        new("append", 'A', null, "Append VALUE to the key's value instead of replacing it."),
        new("no-merge", 'n', null, "Do not merge this commit with others."),
        new("sync", 'S', null, "Flush the content store and checkpoint the root before returning."),
        new("recursive", 'R', null, "Allow replacing a directory (and everything under it) with a value."),
        new("sequence", 's', null, "Print the root sequence number of the commit."),
        new("blobref", 'O', null, "Print the root blobref of the commit."),
    ];

    public override string Details => """
        VALUE '-' reads the value from standard input. Without -R, a KEY that names a directory is
        refused rather than replaced.

        Examples:
          flux kvs put a.b=1 a.c=hello
          echo line | flux kvs put --append log=-
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var ns = KvsClient.Namespace(args);
        var ops = new JsonArray();
        var keys = new List<string>();
        foreach (var kv in args.Positionals)
        {
            var eq = kv.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw new UsageException($"'{kv}': expected KEY=VALUE");
            }
            var key = kv[..eq];
            var text = kv[(eq + 1)..];
            JsonNode dirent;
            if (args.Has("treeobj"))
            {
                dirent = JsonNode.Parse(text == "-" ? Encoding.UTF8.GetString(KvsClient.ReadStdin()) : text)
                    ?? throw new FluxException(Errno.EINVAL, $"{key}: not a tree object");
            }
            else
            {
                dirent = KvsClient.Val(text == "-" ? KvsClient.ReadStdin() : Encoding.UTF8.GetBytes(text));
            }
            ops.Add((JsonNode)KvsClient.Op(key, dirent, args.Has("append") ? KvsClient.OpAppend : 0));
            keys.Add(key);
        }
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        if (!args.Has("recursive") && !args.Has("append"))
        {
            await RefuseDirectoriesAsync(h, keys, ns, ct).ConfigureAwait(false);
        }
        var flags = (args.Has("no-merge") ? KvsClient.NoMerge : 0) | (args.Has("sync") ? KvsClient.Sync : 0);
        var resp = await KvsClient.CommitAsync(h, ns, ops, flags, ct).ConfigureAwait(false);
        if (args.Has("blobref"))
        {
            Console.WriteLine(resp["rootref"]?.GetValue<string>());
        }
        if (args.Has("sequence"))
        {
            Console.WriteLine(resp["rootseq"]?.GetValue<long>());
        }
        return 0;
    }

    /// <summary>Looks up each distinct parent directory once and refuses keys that name a directory.</summary>
    private static async Task RefuseDirectoriesAsync(FluxHandle h, List<string> keys, string? ns, CancellationToken ct)
    {
        foreach (var group in keys.GroupBy(k => k.TrimEnd('.').LastIndexOf('.') is var i and >= 0 ? k[..i] : "."))
        {
            if (group.Key.Length == 0)
            {
                continue;
            }
            JsonObject? dir;
            try
            {
                dir = await KvsClient.TryLookupAsync(h, group.Key, KvsClient.ReadDir, ns, ct).ConfigureAwait(false);
            }
            catch (FluxException ex) when (ex.Errnum == Errno.EINVAL)
            {
                continue;
            }
            if (dir?["data"] is not JsonObject entries)
            {
                continue;
            }
            foreach (var key in group)
            {
                var name = key.TrimEnd('.');
                name = name[(name.LastIndexOf('.') + 1)..];
                if (KvsClient.IsDir(entries[name]))
                {
                    throw new FluxException(Errno.EISDIR, $"{key}: Is a directory (use -R to replace it and everything under it)");
                }
            }
        }
    }
}

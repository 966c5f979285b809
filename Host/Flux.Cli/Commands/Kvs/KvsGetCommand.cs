// flux kvs get: print the value of each KEY
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

internal sealed class KvsGetCommand : Command
{
    public override string Name => "kvs get";

    public override string Summary => "Print the value of each KEY.";

    public override string Usage => "[OPTIONS] KEY [KEY...]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        KvsClient.NamespaceOption,
        new("raw", 'r', null, "Print the raw value: no newline is added."),
        new("treeobj", 't', null, "Print the RFC 11 tree object of the key as stored."),
        new("at", 'a', "TREEOBJ", "Look up in the snapshot whose root is TREEOBJ (or a blobref, from 'flux kvs getroot')."),
        new("label", 'l', null, "Print KEY= before each value."),
        new("dir", 'd', null, "If KEY is a directory, list it as 'flux kvs dir' does instead of failing."),
        new("watch", 'w', null, "Print the value, then each new value it is given, until interrupted."),
        new("waitcreate", 'W', null, "Wait for KEY to be created if it does not exist."),
        new("count", 'c', "COUNT", "With --watch, stop after COUNT values."),
        new("uniq", 'u', null, "With --watch, print a value only when it differs from the last."),
        new("append", 'A', null, "With --watch, print only what is appended to the value after the first."),
        new("full", 'f', null, "With --watch, print the value on every commit, changed or not."),
    ];

    public override string Details => """
        Examples:
          flux kvs put a.b=1 && flux kvs get a.b
          flux kvs get --watch --count=2 a.b
          flux kvs get --at=$(flux kvs getroot --blobref) a.b
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var ns = KvsClient.Namespace(args);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var raw = args.Has("raw");
        if (args.Has("watch") || args.Has("waitcreate"))
        {
            Expect(args, 1);
            return await WatchAsync(h, args, ns, ct).ConfigureAwait(false);
        }
        var flags = args.Has("treeobj") ? KvsClient.TreeObjFlag : 0;
        foreach (var key in args.Positionals)
        {
            JsonObject val;
            try
            {
                val = await KvsClient.LookupAsync(h, key, flags, ns, KvsClient.At(args.Get("at")), ct).ConfigureAwait(false);
            }
            catch (FluxException ex) when (ex.Errnum == Errno.EISDIR && args.Has("dir"))
            {
                await KvsDirCommand.ListAsync(h, key, ns, recursive: false, keysOnly: false, width: 0, ct).ConfigureAwait(false);
                continue;
            }
            catch (FluxException ex) when (ex.Errnum == Errno.EISDIR)
            {
                throw new FluxException(Errno.EISDIR, $"{key}: Is a directory (list it with 'flux kvs dir {key}' or 'flux kvs get --dir {key}')");
            }
            if (flags != 0)
            {
                Console.WriteLine(val.ToJsonString());
                continue;
            }
            if (KvsClient.TypeOf(val) == "symlink")
            {
                Console.WriteLine(val["data"]?["target"]?.GetValue<string>());
                continue;
            }
            KvsClient.WriteValue(KvsClient.Bytes(val), raw, args.Has("label") ? key : null);
        }
        return 0;
    }

    private static async Task<int> WatchAsync(FluxHandle h, ParsedArgs args, string? ns, CancellationToken ct)
    {
        var key = args.Positionals[0];
        var flags = 0;
        flags |= args.Has("watch") ? KvsClient.Watch : 0;
        flags |= args.Has("waitcreate") ? KvsClient.WaitCreate : 0;
        flags |= args.Has("uniq") ? KvsClient.WatchUniq : 0;
        flags |= args.Has("append") ? KvsClient.WatchAppend : 0;
        flags |= args.Has("full") ? KvsClient.WatchFull : 0;
        flags |= args.Has("treeobj") ? KvsClient.TreeObjFlag : 0;
        var count = args.GetInt("count", 0, 0);
        var seen = 0;
        await foreach (var val in KvsClient.WatchAsync(h, key, flags, ns, ct).ConfigureAwait(false))
        {
            if ((flags & KvsClient.TreeObjFlag) != 0)
            {
                Console.WriteLine(val.ToJsonString());
            }
            else
            {
                KvsClient.WriteValue(KvsClient.Bytes(val), args.Has("raw"), args.Has("label") ? key : null);
            }
            if (count > 0 && ++seen >= count)
            {
                break;
            }
        }
        return 0;
    }
}

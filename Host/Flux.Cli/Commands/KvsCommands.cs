// flux kvs get|put|dir|ls|unlink|mkdir|link|readlink|copy|move|getroot|version|wait (RFC 11 KVS).
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Abstractions.Kvs;
using Flux.Client.Handle;

namespace Flux.Cli.Commands;

/// <summary>The KVS client protocol (kvs.lookup, kvs.commit, kvs-watch.lookup) shared by the kvs commands.</summary>
internal static class KvsClient
{
    // The protocol's flag numbers, named once in Flux.Abstractions.Kvs (as ints: they go into JSON requests).
    public const int ReadDir = (int)KvsFlags.ReadDir;
    public const int ReadLink = (int)KvsFlags.ReadLink;
    public const int Watch = (int)KvsFlags.Watch;
    public const int WaitCreate = (int)KvsFlags.WaitCreate;
    public const int TreeObjFlag = (int)KvsFlags.TreeObj;
    public const int WatchFull = (int)KvsFlags.WatchFull;
    public const int WatchUniq = (int)KvsFlags.WatchUniq;
    public const int WatchAppend = (int)KvsFlags.WatchAppend;
    public const int OpAppend = (int)KvsFlags.Append;
    public const int NoMerge = (int)KvsCommitFlags.NoMerge;
    public const int Sync = (int)KvsCommitFlags.Sync;

    public static readonly OptionSpec NamespaceOption = new("namespace", 'N', "NS", "Use namespace NS (default: $FLUX_KVS_NAMESPACE or primary).");

    public static string? Namespace(ParsedArgs args) =>
        args.Get("namespace") ?? Environment.GetEnvironmentVariable("FLUX_KVS_NAMESPACE");

    public static JsonObject Val(byte[] data) => TreeObject.Val(data);

    public static JsonObject EmptyDir() => TreeObject.EmptyDir();

    public static JsonObject Symlink(string target, string? ns) => TreeObject.Symlink(target, ns);

    public static JsonObject Op(string key, JsonNode? dirent, int flags = 0) =>
        new() { ["key"] = key, ["flags"] = flags, ["dirent"] = dirent?.Parent is null ? dirent : dirent.DeepClone() };

    public static string TypeOf(JsonNode? treeobj) => treeobj?["type"]?.GetValue<string>() ?? string.Empty;

    public static bool IsDir(JsonNode? treeobj) => TypeOf(treeobj) is "dir" or "dirref";

    public static byte[] Bytes(JsonNode? val) =>
        TypeOf(val) == "val" ? Convert.FromBase64String(val!["data"]!.GetValue<string>()) : throw new FluxException(Errno.EPROTO, "expected a val object");

    /// <summary>A rootdir treeobj from --at: a dirref treeobj, or a bare blobref.</summary>
    public static JsonObject? At(string? at)
    {
        if (at is null)
        {
            return null;
        }
        if (at.TrimStart().StartsWith('{'))
        {
            return JsonNode.Parse(at) as JsonObject ?? throw new FluxException(Errno.EINVAL, $"--at: '{at}' is not a treeobj");
        }
        return new JsonObject { ["ver"] = 1, ["type"] = "dirref", ["data"] = new JsonArray(at) };
    }

    public static async Task<JsonObject> LookupAsync(FluxHandle h, string key, int flags, string? ns, JsonObject? at, CancellationToken ct)
    {
        var req = new JsonObject { ["key"] = key, ["flags"] = flags, ["namespace"] = ns ?? "primary" };
        if (at is not null)
        {
            req["rootdir"] = at.DeepClone();
        }
        var resp = await h.RpcAsync("kvs.lookup", req, NodeId.Any, ct).ConfigureAwait(false);
        return resp?["val"] as JsonObject ?? throw new FluxException(Errno.EPROTO, "kvs.lookup: no val in response");
    }

    /// <summary>Looks a key up, answering null when it does not exist.</summary>
    public static async Task<JsonObject?> TryLookupAsync(FluxHandle h, string key, int flags, string? ns, CancellationToken ct)
    {
        try
        {
            return await LookupAsync(h, key, flags, ns, null, ct).ConfigureAwait(false);
        }
        catch (FluxException ex) when (ex.Errnum is Errno.ENOENT or Errno.ENOTDIR)
        {
            return null;
        }
    }

    public static async Task<JsonObject> CommitAsync(FluxHandle h, string? ns, JsonArray ops, int flags, CancellationToken ct)
    {
        var req = new JsonObject { ["namespace"] = ns ?? "primary", ["flags"] = flags, ["ops"] = ops };
        return await h.RpcAsync("kvs.commit", req, NodeId.Any, ct).ConfigureAwait(false) ?? [];
    }

    /// <summary>Streams kvs-watch.lookup responses (val objects); cancels the watch when the caller stops.</summary>
    public static async IAsyncEnumerable<JsonObject> WatchAsync(FluxHandle h, string key, int flags, string? ns, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var req = Message.Request("kvs-watch.lookup", new JsonObject { ["key"] = key, ["flags"] = flags, ["namespace"] = ns ?? "primary" });
        var ended = false;
        try
        {
            await foreach (var resp in h.StreamAsync(req, ct).ConfigureAwait(false))
            {
                yield return resp.GetJson()["val"] as JsonObject ?? throw new FluxException(Errno.EPROTO, "kvs-watch: no val in response");
            }
            ended = true;
        }
        finally
        {
            if (!ended && req.Matchtag != NodeId.MatchtagNone)
            {
                Cancel(h, req.Matchtag);
            }
        }
    }

    /// <summary>Tells kvs-watch to end a stream early (its matchtag identifies it).</summary>
    public static void Cancel(FluxHandle h, uint matchtag)
    {
        var cancel = Message.Request("kvs-watch.cancel", new JsonObject { ["matchtag"] = matchtag });
        cancel.Flags |= MessageFlags.NoResponse;
        h.Send(cancel);
    }

    public static byte[] ReadStdin()
    {
        using var stdin = Console.OpenStandardInput();
        using var ms = new MemoryStream();
        stdin.CopyTo(ms);
        return ms.ToArray();
    }

    public static void WriteValue(byte[] data, bool raw, string? label)
    {
        using var stdout = Console.OpenStandardOutput();
        if (label is not null)
        {
            stdout.Write(Encoding.UTF8.GetBytes(label + "="));
        }
        stdout.Write(data);
        if (!raw && (data.Length == 0 || data[^1] != '\n'))
        {
            stdout.WriteByte((byte)'\n');
        }
    }

    /// <summary>Text of a value for listings: UTF-8 when it is text, else a hex dump marker.</summary>
    public static string Display(byte[] data)
    {
        try
        {
            var s = new UTF8Encoding(false, true).GetString(data);
            return s.TrimEnd('\n').Replace("\n", "\\n", StringComparison.Ordinal);
        }
        catch (DecoderFallbackException)
        {
            return "(binary " + data.Length.ToString(CultureInfo.InvariantCulture) + " bytes)";
        }
    }
}

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
            ops.Add(KvsClient.Op(key, dirent, args.Has("append") ? KvsClient.OpAppend : 0));
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

internal sealed class KvsDirCommand : Command
{
    public override string Name => "kvs dir";

    public override string Summary => "List a directory as 'key = value' lines ('key.' for a directory).";

    public override string Usage => "[OPTIONS] [KEY]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        KvsClient.NamespaceOption,
        new("recursive", 'R', null, "List subdirectories too."),
        new("keys", 'd', null, "Print keys only, not values."),
        new("width", 'w', "COLS", "Truncate lines to COLS characters (0: never; default: the terminal's width)."),
    ];

    public override string Details => """
        KEY defaults to the root, ".". Examples:
          flux kvs dir
          flux kvs dir -R job
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0, 1);
        var key = args.Positionals.Count > 0 ? args.Positionals[0] : ".";
        var width = args.GetInt("width", Console.IsOutputRedirected ? 0 : Math.Max(Console.WindowWidth, 20), 0);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await ListAsync(h, key, KvsClient.Namespace(args), args.Has("recursive"), args.Has("keys"), width, ct).ConfigureAwait(false);
        return 0;
    }

    public static async Task ListAsync(FluxHandle h, string key, string? ns, bool recursive, bool keysOnly, int width, CancellationToken ct)
    {
        JsonObject dir;
        try
        {
            dir = await KvsClient.LookupAsync(h, key, KvsClient.ReadDir, ns, null, ct).ConfigureAwait(false);
        }
        catch (FluxException ex) when (ex.Errnum == Errno.ENOTDIR)
        {
            throw new FluxException(Errno.ENOTDIR, $"{key}: Not a directory");
        }
        var prefix = key is "." or "" ? string.Empty : key.TrimEnd('.') + ".";
        var entries = dir["data"] as JsonObject ?? [];
        foreach (var (name, entry) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var full = prefix + name;
            var type = KvsClient.TypeOf(entry);
            if (KvsClient.IsDir(entry))
            {
                if (recursive)
                {
                    await ListAsync(h, full, ns, recursive, keysOnly, width, ct).ConfigureAwait(false);
                }
                else
                {
                    Console.WriteLine(full + ".");
                }
                continue;
            }
            if (keysOnly)
            {
                Console.WriteLine(full);
                continue;
            }
            string value;
            if (type == "symlink")
            {
                var target = entry!["data"]!["target"]!.GetValue<string>();
                var tns = entry["data"]!["namespace"]?.GetValue<string>();
                value = "-> " + (tns is null ? target : tns + "::" + target);
            }
            else
            {
                var val = type == "val" ? entry! : await KvsClient.LookupAsync(h, full, 0, ns, null, ct).ConfigureAwait(false);
                value = KvsClient.Display(KvsClient.Bytes(val));
            }
            var line = $"{full} = {value}";
            if (width > 0 && line.Length > width)
            {
                line = line[..Math.Max(width - 3, 0)] + "...";
            }
            Console.WriteLine(line);
        }
    }
}

internal sealed class KvsLsCommand : Command
{
    public override string Name => "kvs ls";

    public override string Summary => "List the names in each directory KEY (default '.'), like ls(1).";

    public override string Usage => "[OPTIONS] [KEY...]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        KvsClient.NamespaceOption,
        new("recursive", 'R', null, "List subdirectories recursively."),
        new("directory", 'd', null, "List directory keys themselves, not their contents."),
        new("classify", 'F', null, "Append '.' to directories and '@' to symlinks."),
        new("one", '1', null, "One name per line (the default when output is not a terminal)."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        var keys = args.Positionals.Count > 0 ? args.Positionals.ToList() : ["."];
        var ns = KvsClient.Namespace(args);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var onePerLine = args.Has("one") || Console.IsOutputRedirected;
        var many = keys.Count > 1 || args.Has("recursive");
        var first = true;
        foreach (var key in keys)
        {
            await ListOneAsync(h, key, ns, args, onePerLine, many, first, ct).ConfigureAwait(false);
            first = false;
        }
        return 0;
    }

    private static async Task ListOneAsync(FluxHandle h, string key, string? ns, ParsedArgs args, bool onePerLine, bool header, bool first, CancellationToken ct)
    {
        var treeobj = await KvsClient.LookupAsync(h, key, KvsClient.TreeObjFlag, ns, null, ct).ConfigureAwait(false);
        if (args.Has("directory") || !KvsClient.IsDir(treeobj) && key != ".")
        {
            Console.WriteLine(Classify(key, treeobj, args.Has("classify")));
            return;
        }
        var dir = await KvsClient.LookupAsync(h, key, KvsClient.ReadDir, ns, null, ct).ConfigureAwait(false);
        var entries = (dir["data"] as JsonObject ?? []).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        if (header)
        {
            if (!first)
            {
                Console.WriteLine();
            }
            Console.WriteLine(key + ":");
        }
        var names = entries.Select(e => Classify(e.Key, e.Value, args.Has("classify"))).ToList();
        if (onePerLine)
        {
            names.ForEach(Console.WriteLine);
        }
        else if (names.Count > 0)
        {
            var col = names.Max(n => n.Length) + 2;
            var perLine = Math.Max(1, Math.Max(Console.WindowWidth, 20) / col);
            for (var i = 0; i < names.Count; i += perLine)
            {
                Console.WriteLine(string.Concat(names.Skip(i).Take(perLine).Select(n => n.PadRight(col))).TrimEnd());
            }
        }
        if (args.Has("recursive"))
        {
            var prefix = key == "." ? string.Empty : key.TrimEnd('.') + ".";
            foreach (var (name, entry) in entries.Where(e => KvsClient.IsDir(e.Value)))
            {
                await ListOneAsync(h, prefix + name, ns, args, onePerLine, header: true, first: false, ct).ConfigureAwait(false);
            }
        }
    }

    private static string Classify(string name, JsonNode? entry, bool classify) =>
        !classify ? name : KvsClient.IsDir(entry) ? name + "." : KvsClient.TypeOf(entry) == "symlink" ? name + "@" : name;
}

internal sealed class KvsUnlinkCommand : Command
{
    public override string Name => "kvs unlink";

    public override string Summary => "Remove each KEY.";

    public override string Usage => "[OPTIONS] KEY [KEY...]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        KvsClient.NamespaceOption,
        new("recursive", 'R', null, "Remove a directory and everything under it."),
        new("force", 'f', null, "Ignore keys that do not exist."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var ns = KvsClient.Namespace(args);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var ops = new JsonArray();
        foreach (var key in args.Positionals)
        {
            var entry = await KvsClient.TryLookupAsync(h, key, KvsClient.TreeObjFlag, ns, ct).ConfigureAwait(false);
            if (entry is null)
            {
                if (args.Has("force"))
                {
                    continue;
                }
                throw new FluxException(Errno.ENOENT, $"cannot unlink '{key}': No such file or directory");
            }
            if (KvsClient.IsDir(entry) && !args.Has("recursive"))
            {
                throw new FluxException(Errno.EISDIR, $"cannot unlink '{key}': Is a directory (use -R)");
            }
            ops.Add(KvsClient.Op(key, null));
        }
        if (ops.Count > 0)
        {
            await KvsClient.CommitAsync(h, ns, ops, 0, ct).ConfigureAwait(false);
        }
        return 0;
    }
}

internal sealed class KvsMkdirCommand : Command
{
    public override string Name => "kvs mkdir";

    public override string Summary => "Create an empty directory at each KEY.";

    public override string Usage => "[OPTIONS] KEY [KEY...]";

    public override IReadOnlyList<OptionSpec> Options => [KvsClient.NamespaceOption];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var ns = KvsClient.Namespace(args);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var ops = new JsonArray();
        foreach (var key in args.Positionals)
        {
            if (await KvsClient.TryLookupAsync(h, key, KvsClient.TreeObjFlag, ns, ct).ConfigureAwait(false) is not null)
            {
                throw new FluxException(Errno.EEXIST, $"cannot create directory '{key}': File exists");
            }
            ops.Add(KvsClient.Op(key, KvsClient.EmptyDir()));
        }
        await KvsClient.CommitAsync(h, ns, ops, 0, ct).ConfigureAwait(false);
        return 0;
    }
}

internal sealed class KvsLinkCommand : Command
{
    public override string Name => "kvs link";

    public override string Summary => "Create LINKNAME as a symbolic link to TARGET.";

    public override string Usage => "[OPTIONS] TARGET LINKNAME";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        KvsClient.NamespaceOption,
        new("target-namespace", 'T', "NS", "TARGET is in namespace NS."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 2);
        var ns = KvsClient.Namespace(args);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var ops = new JsonArray(KvsClient.Op(args.Positionals[1], KvsClient.Symlink(args.Positionals[0], args.Get("target-namespace"))));
        await KvsClient.CommitAsync(h, ns, ops, 0, ct).ConfigureAwait(false);
        return 0;
    }
}

internal sealed class KvsReadlinkCommand : Command
{
    public override string Name => "kvs readlink";

    public override string Summary => "Print the target of each symbolic link KEY.";

    public override string Usage => "[OPTIONS] KEY [KEY...]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        KvsClient.NamespaceOption,
        new("namespace-only", 'o', null, "Print only the target's namespace."),
        new("key-only", 'k', null, "Print only the target key, without NS::."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var ns = KvsClient.Namespace(args);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        foreach (var key in args.Positionals)
        {
            var link = await KvsClient.LookupAsync(h, key, KvsClient.ReadLink, ns, null, ct).ConfigureAwait(false);
            var target = link["data"]!["target"]!.GetValue<string>();
            var tns = link["data"]!["namespace"]?.GetValue<string>();
            Console.WriteLine(args.Has("namespace-only") ? tns ?? string.Empty
                : tns is null || args.Has("key-only") ? target : $"{tns}::{target}");
        }
        return 0;
    }
}

internal sealed class KvsCopyCommand : Command
{
    public override string Name => "kvs copy";

    public override string Summary => "Copy SRC to DST (a directory is copied whole, in constant time).";

    public override string Usage => "[OPTIONS] SRC DST";

    /// <summary>The options of copy and move.</summary>
    public static readonly IReadOnlyList<OptionSpec> NamespaceOptions =
    [
        new("src-namespace", 'S', "NS", "SRC is in namespace NS."),
        new("dst-namespace", 'D', "NS", "DST is in namespace NS."),
    ];

    public override IReadOnlyList<OptionSpec> Options => NamespaceOptions;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 2);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await CopyAsync(h, args, unlinkSource: false, ct).ConfigureAwait(false);
        return 0;
    }

    public static async Task CopyAsync(FluxHandle h, ParsedArgs args, bool unlinkSource, CancellationToken ct)
    {
        var (src, dst) = (args.Positionals[0], args.Positionals[1]);
        var sns = args.Get("src-namespace") ?? KvsClient.Namespace(args);
        var dns = args.Get("dst-namespace") ?? KvsClient.Namespace(args);
        var entry = await KvsClient.LookupAsync(h, src, KvsClient.TreeObjFlag, sns, null, ct).ConfigureAwait(false);
        if ((sns ?? "primary") == (dns ?? "primary"))
        {
            var ops = new JsonArray(KvsClient.Op(dst, entry));
            if (unlinkSource)
            {
                ops.Add(KvsClient.Op(src, null));
            }
            await KvsClient.CommitAsync(h, dns, ops, 0, ct).ConfigureAwait(false);
            return;
        }
        await KvsClient.CommitAsync(h, dns, [KvsClient.Op(dst, entry)], 0, ct).ConfigureAwait(false);
        if (unlinkSource)
        {
            await KvsClient.CommitAsync(h, sns, [KvsClient.Op(src, null)], 0, ct).ConfigureAwait(false);
        }
    }
}

internal sealed class KvsMoveCommand : Command
{
    public override string Name => "kvs move";

    public override string Summary => "Move SRC to DST (copy, then unlink SRC; atomic within one namespace).";

    public override string Usage => "[OPTIONS] SRC DST";

    public override IReadOnlyList<OptionSpec> Options => KvsCopyCommand.NamespaceOptions;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 2);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await KvsCopyCommand.CopyAsync(h, args, unlinkSource: true, ct).ConfigureAwait(false);
        return 0;
    }
}

internal sealed class KvsGetrootCommand : Command
{
    public override string Name => "kvs getroot";

    public override string Summary => "Print the root of a namespace as a dirref tree object (or part of it).";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        KvsClient.NamespaceOption,
        new("sequence", 's', null, "Print the root sequence number."),
        new("owner", 'o', null, "Print the namespace owner's userid."),
        new("blobref", 'b', null, "Print the root blobref."),
    ];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var r = await h.RpcAsync("kvs.getroot", new JsonObject { ["namespace"] = KvsClient.Namespace(args) ?? "primary" }, NodeId.Any, ct).ConfigureAwait(false) ?? [];
        var rootref = r["rootref"]!.GetValue<string>();
        if (args.Has("sequence"))
        {
            Console.WriteLine(r["rootseq"]!.GetValue<long>());
        }
        else if (args.Has("owner"))
        {
            Console.WriteLine(r["owner"]!.GetValue<uint>());
        }
        else if (args.Has("blobref"))
        {
            Console.WriteLine(rootref);
        }
        else
        {
            Console.WriteLine(new JsonObject { ["ver"] = 1, ["type"] = "dirref", ["data"] = new JsonArray(rootref) }.ToJsonString());
        }
        return 0;
    }
}

internal sealed class KvsVersionCommand : Command
{
    public override string Name => "kvs version";

    public override string Summary => "Print the root sequence number (version) of a namespace.";

    public override IReadOnlyList<OptionSpec> Options => [KvsClient.NamespaceOption];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 0);
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        var r = await h.RpcAsync("kvs.getroot", new JsonObject { ["namespace"] = KvsClient.Namespace(args) ?? "primary" }, NodeId.Any, ct).ConfigureAwait(false) ?? [];
        Console.WriteLine(r["rootseq"]!.GetValue<long>());
        return 0;
    }
}

internal sealed class KvsWaitCommand : Command
{
    public override string Name => "kvs wait";

    public override string Summary => "Wait until a namespace's version is at least VERSION.";

    public override string Usage => "[OPTIONS] VERSION";

    public override IReadOnlyList<OptionSpec> Options => [KvsClient.NamespaceOption];

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1);
        if (!long.TryParse(args.Positionals[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var version) || version < 0)
        {
            throw new UsageException($"VERSION: expected a number >= 0, got '{args.Positionals[0]}'");
        }
        await using var h = await OpenAsync(ct).ConfigureAwait(false);
        await h.RpcAsync("kvs.wait-version", new JsonObject { ["namespace"] = KvsClient.Namespace(args) ?? "primary", ["rootseq"] = version }, NodeId.Any, ct).ConfigureAwait(false);
        return 0;
    }
}

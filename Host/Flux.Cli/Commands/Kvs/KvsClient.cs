// The KVS client protocol (RFC 11: kvs.lookup, kvs.commit, kvs-watch.lookup) shared by the kvs commands, dump and restore.
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

    /// <summary>-W of the kvs eventlog commands: wait for the eventlog's key to exist.</summary>
    public static readonly OptionSpec WaitCreateOption = new("waitcreate", 'W', null, "Wait for KEY to be created.");

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
    public static void Cancel(FluxHandle h, uint matchtag) => StreamCancel.Send(h, "kvs-watch.cancel", matchtag);

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

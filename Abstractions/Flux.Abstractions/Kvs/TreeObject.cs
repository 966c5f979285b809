// RFC 11 tree objects: {"ver":1,"type":T,"data":D}.
using System.Text;
using System.Text.Json.Nodes;

namespace Flux.Abstractions.Kvs;

/// <summary>Builds and reads RFC 11 tree objects (val, valref, dir, dirref, symlink).</summary>
public static class TreeObject
{
    /// <summary>A <c>val</c> holding raw bytes (base64 in <c>data</c>).</summary>
    public static JsonObject Val(ReadOnlySpan<byte> value) => Make("val", Convert.ToBase64String(value));

    /// <summary>A <c>val</c> holding a UTF-8 string.</summary>
    public static JsonObject Val(string value) => Val(Encoding.UTF8.GetBytes(value ?? throw new ArgumentNullException(nameof(value))));

    /// <summary>An empty <c>dir</c>.</summary>
    public static JsonObject EmptyDir() => Make("dir", new JsonObject());

    /// <summary>A <c>symlink</c> to a key, optionally in another namespace.</summary>
    public static JsonObject Symlink(string target, string? ns = null)
    {
        var data = new JsonObject { ["target"] = target };
        if (ns is not null)
        {
            data["namespace"] = ns;
        }
        return Make("symlink", data);
    }

    /// <summary>The type of a tree object ("val", "dir", ...). Throws EPROTO if it is not one.</summary>
    public static string TypeOf(JsonNode? treeobj) =>
        treeobj is JsonObject o && o["ver"]?.GetValue<int>() == 1 && o["type"] is JsonValue t && t.TryGetValue(out string? s)
            ? s
            : throw new FluxException(Errno.EPROTO, "malformed RFC 11 tree object");

    /// <summary>The bytes of a <c>val</c>.</summary>
    public static byte[] ValBytes(JsonNode? treeobj)
    {
        var type = TypeOf(treeobj);
        if (type != "val")
        {
            throw new FluxException(type is "dir" or "dirref" ? Errno.EISDIR : Errno.EINVAL, $"expected a value, found a {type}");
        }
        return Convert.FromBase64String(treeobj!["data"]!.GetValue<string>());
    }

    private static JsonObject Make(string type, JsonNode data) => new() { ["ver"] = 1, ["type"] = type, ["data"] = data };
}

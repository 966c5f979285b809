// RFC 11 tree objects: val, valref, dir, dirref and symlink, immutable, with their JSON encoding.
using System.Buffers;
using System.Text.Json;
using Flux.Abstractions;

namespace Flux.Modules.Kvs;

/// <summary>The type of an RFC 11 tree object.</summary>
internal enum TreeType
{
    Val,
    ValRef,
    Dir,
    DirRef,
    Symlink,
}

/// <summary>
/// An immutable RFC 11 tree object <c>{"ver":1,"type":T,"data":D}</c>. Instances are shared freely
/// between trees, caches and snapshots; a directory is changed by building a new one. Directories
/// are encoded with their names sorted, so one tree always has one blobref.
/// </summary>
internal sealed class TreeObj
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };
    private static readonly Dictionary<string, TreeObj> Empty = new(StringComparer.Ordinal);

    private TreeObj(TreeType type)
    {
        Type = type;
    }

    /// <summary>The type.</summary>
    public TreeType Type { get; }

    /// <summary>The bytes of a val.</summary>
    public byte[] Value { get; private init; } = [];

    /// <summary>The blobrefs of a valref or dirref.</summary>
    public string[] Refs { get; private init; } = [];

    /// <summary>The entries of a dir.</summary>
    public IReadOnlyDictionary<string, TreeObj> Entries { get; private init; } = Empty;

    /// <summary>A symlink's target key.</summary>
    public string Target { get; private init; } = string.Empty;

    /// <summary>A symlink's namespace, or null for the namespace of the link.</summary>
    public string? Namespace { get; private init; }

    /// <summary>An empty directory.</summary>
    public static TreeObj EmptyDir { get; } = new(TreeType.Dir);

    public bool IsDir => Type is TreeType.Dir or TreeType.DirRef;

    public static TreeObj Val(byte[] value) => new(TreeType.Val) { Value = value };

    public static TreeObj ValRef(string[] refs) => new(TreeType.ValRef) { Refs = refs };

    public static TreeObj DirRef(string blobref) => new(TreeType.DirRef) { Refs = [blobref] };

    public static TreeObj Dir(Dictionary<string, TreeObj> entries) => new(TreeType.Dir) { Entries = entries };

    public static TreeObj Symlink(string target, string? ns) => new(TreeType.Symlink) { Target = target, Namespace = ns };

    /// <summary>Parses a tree object from its JSON encoding; throws EPROTO when it is not one.</summary>
    public static TreeObj Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            return FromJson(doc.RootElement);
        }
        catch (JsonException ex)
        {
            throw new FluxException(Errno.EPROTO, "invalid tree object: " + ex.Message);
        }
    }

    /// <summary>Reads a tree object from a JSON element; throws EPROTO when it is not one.</summary>
    public static TreeObj FromJson(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object
            || !e.TryGetProperty("ver", out var ver) || ver.ValueKind != JsonValueKind.Number || ver.GetInt32() != 1
            || !e.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
            || !e.TryGetProperty("data", out var data))
        {
            throw Bad("expected {\"ver\":1,\"type\":...,\"data\":...}");
        }
        switch (type.GetString())
        {
            case "val":
                if (data.ValueKind != JsonValueKind.String)
                {
                    throw Bad("val data must be a base64 string");
                }
                try
                {
                    return Val(data.GetBytesFromBase64());
                }
                catch (FormatException)
                {
                    throw Bad("val data is not base64");
                }
            case "valref":
                return ValRef(RefArray(data, allowEmpty: true));
            case "dirref":
                var refs = RefArray(data, allowEmpty: false);
                if (refs.Length != 1)
                {
                    throw Bad("a dirref must hold exactly one blobref");
                }
                return DirRef(refs[0]);
            case "dir":
                if (data.ValueKind != JsonValueKind.Object)
                {
                    throw Bad("dir data must be an object");
                }
                var entries = new Dictionary<string, TreeObj>(StringComparer.Ordinal);
                foreach (var p in data.EnumerateObject())
                {
                    entries[p.Name] = FromJson(p.Value);
                }
                return entries.Count == 0 ? EmptyDir : Dir(entries);
            case "symlink":
                if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("target", out var target) || target.ValueKind != JsonValueKind.String)
                {
                    throw Bad("symlink data must be {\"target\":KEY[,\"namespace\":NS]}");
                }
                string? ns = data.TryGetProperty("namespace", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                return Symlink(target.GetString()!, ns);
            default:
                throw Bad($"unknown type '{type.GetString()}'");
        }
    }

    /// <summary>Writes the JSON encoding.</summary>
    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteNumber("ver"u8, 1);
        switch (Type)
        {
            case TreeType.Val:
                w.WriteString("type"u8, "val"u8);
                w.WriteBase64String("data"u8, Value);
                break;
            case TreeType.ValRef:
            case TreeType.DirRef:
                w.WriteString("type"u8, Type == TreeType.ValRef ? "valref"u8 : "dirref"u8);
                w.WriteStartArray("data"u8);
                foreach (var r in Refs)
                {
                    w.WriteStringValue(r);
                }
                w.WriteEndArray();
                break;
            case TreeType.Dir:
                w.WriteString("type"u8, "dir"u8);
                w.WriteStartObject("data"u8);
                var names = Entries.Keys.ToArray();
                Array.Sort(names, StringComparer.Ordinal);
                foreach (var name in names)
                {
                    w.WritePropertyName(name);
                    Entries[name].WriteTo(w);
                }
                w.WriteEndObject();
                break;
            case TreeType.Symlink:
                w.WriteString("type"u8, "symlink"u8);
                w.WriteStartObject("data"u8);
                if (Namespace is not null)
                {
                    w.WriteString("namespace"u8, Namespace);
                }
                w.WriteString("target"u8, Target);
                w.WriteEndObject();
                break;
        }
        w.WriteEndObject();
    }

    /// <summary>
    /// The compact JSON encoding (what a blob of a dir holds), made anew on each call. (Keeping each
    /// entry's encoding, so that a changed directory re-encodes only what changed, was measured: no
    /// faster on the job bench, and 20 MiB more at rest with 10,000 jobs.)
    /// </summary>
    public byte[] Encode()
    {
        return EncodeCore();
    }

    // Each thread keeps its buffer and writer (up to 1 MiB): a large directory (the one holding
    // the jobs of the same quarter second, or a namespace's root) is encoded again at every commit
    // under it, and growing a new buffer to its size each time (allocating and zeroing every
    // doubling) was 2.6% of the broker's CPU while it ran 500 real jobs.
    private const int KeepCapacity = 1024 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private byte[] EncodeCore()
    {
        var buf = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        var w = t_writer ??= new Utf8JsonWriter(buf, WriterOptions);
        buf.ResetWrittenCount();
        w.Reset(buf);
        try
        {
            WriteTo(w);
            w.Flush();
            return buf.WrittenSpan.ToArray();
        }
        finally
        {
            if (buf.Capacity > KeepCapacity)
            {
                t_buffer = null;
                t_writer = null;
            }
        }
    }

    private static string[] RefArray(JsonElement data, bool allowEmpty)
    {
        if (data.ValueKind != JsonValueKind.Array || (!allowEmpty && data.GetArrayLength() == 0))
        {
            throw Bad("expected an array of blobrefs");
        }
        var refs = new string[data.GetArrayLength()];
        var i = 0;
        foreach (var r in data.EnumerateArray())
        {
            refs[i++] = r.ValueKind == JsonValueKind.String ? r.GetString()! : throw Bad("blobrefs must be strings");
        }
        return refs;
    }

    private static FluxException Bad(string why) => new(Errno.EPROTO, "invalid tree object: " + why);
}

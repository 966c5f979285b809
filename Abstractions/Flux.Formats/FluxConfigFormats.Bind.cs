// Binds a configuration table to a class: kebab-case keys to properties, Flux formats for durations, idsets and hostlists, unknown keys refused.
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Flux.Abstractions;

namespace Flux.Formats;

public static partial class FluxConfigFormats
{
    private const string BindCode = "Bind<T> reads T's public properties by reflection (System.Text.Json)";

    /// <summary>
    /// Binds the table at the dotted path <paramref name="table"/> (a module's own table, say
    /// <c>"counter"</c> for <c>[counter]</c>) to a new <typeparamref name="T"/>: each key sets the
    /// public property of that name in kebab case (<c>max-count</c> sets <c>MaxCount</c>; a
    /// <c>[JsonPropertyName]</c> attribute names it otherwise), nested tables bind to nested classes,
    /// arrays to lists or arrays. <see cref="TimeSpan"/> properties take RFC 23 durations (<c>"30m"</c>),
    /// <see cref="IdSet"/> and <see cref="Hostlist"/> their string forms, enums their member names in
    /// kebab case. An absent table gives <typeparamref name="T"/>'s defaults; a property marked
    /// <c>required</c> must be present. Errors are <see cref="ConfigException"/>s naming the file, the
    /// table and the key: a key <typeparamref name="T"/> has no property for (unless
    /// <paramref name="allowUnknownKeys"/>): <c>test.toml: [counter] stat: unknown key (expected one of
    /// start, period), got 1</c>; a value of the wrong type: <c>[counter] period: expected a duration like
    /// "30m", got 5</c>; a missing required key. Nothing is cached: a plugin's types are not kept
    /// alive by the binding.
    /// </summary>
    [RequiresUnreferencedCode(BindCode)]
    [RequiresDynamicCode(BindCode)]
    public static T Bind<T>(this FluxConfig config, string table, bool allowUnknownKeys = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(table);
        var node = config.GetTable(table) ?? new JsonObject();
        var info = TypeInfoOf<T>(table);
        CheckTable(config, node, table, info, allowUnknownKeys);
        try
        {
            return (T)node.Deserialize(info)!;
        }
        catch (JsonException ex)
        {
            throw ValueError(config, node, table, info, ex);
        }
    }

    /// <summary>
    /// Binds a hosted plugin's per-load configuration with <see cref="Bind{T}"/>'s rules. The values
    /// are bound as the table at <see cref="PluginConf.Path"/> of a configuration holding only them
    /// (with the origin's file names), so errors read as a table's do, prefixed with the plugin:
    /// <c>jobtap plugin NAME: [conf] maxx: unknown key (expected max), got 3</c>. A shared key
    /// <typeparamref name="T"/> has no property for is dropped, not refused.
    /// </summary>
    [RequiresUnreferencedCode(BindCode)]
    [RequiresDynamicCode(BindCode)]
    internal static T BindPluginConf<T>(PluginConf conf)
    {
        var values = (JsonObject)conf.Values.DeepClone();
        if (conf.SharedKeys.Count > 0)
        {
            var known = TypeInfoOf<T>(conf.Path).Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var key in conf.SharedKeys.Where(k => !known.Contains(k)))
            {
                values.Remove(key);
            }
        }
        var segments = conf.Path.Split('.');
        var root = new JsonObject();
        var at = root;
        foreach (var s in segments[..^1])
        {
            var next = new JsonObject();
            at[s] = next;
            at = next;
        }
        at[segments[^1]] = values;
        var config = new FluxConfig(root, conf.Origin?.Sources);
        try
        {
            return config.Bind<T>(conf.Path);
        }
        catch (ConfigException ex)
        {
            var kind = conf.Kind switch
            {
                PluginKind.ShellPlugin => "shell",
                var k => JsonNamingPolicy.KebabCaseLower.ConvertName(k.ToString()),
            };
            throw new ConfigException($"{kind} plugin {conf.Plugin}: {ex.Message}", ex);
        }
    }

    [RequiresUnreferencedCode(BindCode)]
    [RequiresDynamicCode(BindCode)]
    private static JsonTypeInfo TypeInfoOf<T>(string table)
    {
        var options = new JsonSerializerOptions
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            PropertyNamingPolicy = JsonNamingPolicy.KebabCaseLower,
            Converters = { new DurationConverter(), new IdSetConverter(), new HostlistConverter(), new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
        };
        var info = options.GetTypeInfo(typeof(T));
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            throw new ArgumentException($"Bind<{typeof(T).Name}>: {typeof(T).Name} is not a class or record with a property per key of [{table}]", nameof(T));
        }
        return info;
    }

    // Unknown and missing required keys, table by table, before any value is read.
    private static void CheckTable(FluxConfig config, JsonObject node, string path, JsonTypeInfo info, bool allowUnknownKeys)
    {
        if (!allowUnknownKeys)
        {
            config.CheckKeys(node, path, [.. info.Properties.Where(p => p.Set is not null || p.AssociatedParameter is not null).Select(p => p.Name)]);
        }
        foreach (var p in info.Properties)
        {
            var value = node[p.Name];
            if (value is null && p.IsRequired)
            {
                var file = config.SourceOf(path);
                throw new ConfigException($"{(file is null ? string.Empty : file + ": ")}[{path}] {p.Name}: missing (required by {info.Type.Name})");
            }
            var child = info.Options.GetTypeInfo(p.PropertyType);
            if (value is JsonObject table && child.Kind == JsonTypeInfoKind.Object)
            {
                CheckTable(config, table, $"{path}.{p.Name}", child, allowUnknownKeys);
            }
            else if (value is JsonArray array && child is { Kind: JsonTypeInfoKind.Enumerable, ElementType: { } element }
                && info.Options.GetTypeInfo(element) is { Kind: JsonTypeInfoKind.Object } item)
            {
                foreach (var entry in array.OfType<JsonObject>())
                {
                    CheckTable(config, entry, $"{path}.{p.Name}", item, allowUnknownKeys);
                }
            }
        }
    }

    // A value System.Text.Json could not convert: the key from the exception's JSON path, what its property takes.
    private static ConfigException ValueError(FluxConfig config, JsonObject node, string table, JsonTypeInfo info, JsonException ex)
    {
        var path = table;
        JsonNode? got = node;
        var target = (Type?)info.Type;
        var segments = (ex.Path ?? "$").TrimStart('$').Split(['.', '[', ']', '\''], StringSplitOptions.RemoveEmptyEntries);
        foreach (var s in segments)
        {
            var t = target is null ? null : info.Options.GetTypeInfo(target);
            if (int.TryParse(s, out var index) && got is JsonArray arr)
            {
                got = index < arr.Count ? arr[index] : null;
                target = t?.ElementType;
                continue;
            }
            path = $"{path}.{s}";
            got = (got as JsonObject)?[s];
            target = t?.Properties.FirstOrDefault(p => p.Name == s)?.PropertyType;
        }
        return target is not null
            ? config.Error(path, "expected " + Describe(target, info.Options), got)
            : new ConfigException($"{(config.SourceOf(table) is { } f ? f + ": " : string.Empty)}[{table}]: {ex.Message}", ex);
    }

    private static string Describe(Type? type, JsonSerializerOptions options)
    {
        if (type is null)
        {
            return "a value of another type";
        }
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.KebabCaseLower.ConvertName));
        }
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => "true or false",
            TypeCode.String or TypeCode.Char => "a string",
            TypeCode.Int64 => "an integer",
            TypeCode.UInt64 => "a non-negative integer",
            TypeCode.SByte or TypeCode.Byte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32
                => string.Create(CultureInfo.InvariantCulture, $"an integer from {type.GetField("MinValue")!.GetValue(null)} to {type.GetField("MaxValue")!.GetValue(null)}"),
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "a number",
            _ when type == typeof(TimeSpan) => "a duration like \"30m\"",
            _ when type == typeof(IdSet) => "an idset like \"0-7\"",
            _ when type == typeof(Hostlist) => "a hostlist like \"node[1-16]\"",
            _ => options.GetTypeInfo(type).Kind switch
            {
                JsonTypeInfoKind.Enumerable => "an array",
                JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "a table",
                _ => "a " + type.Name,
            },
        };
    }

    private sealed class DurationConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String && Fsd.TryParse(reader.GetString(), out var seconds))
            {
                if (double.IsPositiveInfinity(seconds))
                {
                    return Timeout.InfiniteTimeSpan;
                }
                if (seconds < TimeSpan.MaxValue.TotalSeconds)
                {
                    return TimeSpan.FromSeconds(seconds);
                }
            }
            throw new JsonException("expected a duration");
        }

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) => writer.WriteStringValue(Fsd.Format(value));
    }

    private sealed class IdSetConverter : JsonConverter<IdSet>
    {
        public override IdSet Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && IdSet.TryParse(reader.GetString(), out var set) ? set : throw new JsonException("expected an idset");

        public override void Write(Utf8JsonWriter writer, IdSet value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    private sealed class HostlistConverter : JsonConverter<Hostlist>
    {
        public override Hostlist Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && Hostlist.TryParse(reader.GetString(), out var hl) ? hl : throw new JsonException("expected a hostlist");

        public override void Write(Utf8JsonWriter writer, Hostlist value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}

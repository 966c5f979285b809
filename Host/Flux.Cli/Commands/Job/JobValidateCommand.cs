// flux job validate: check jobspec files (JSON or YAML) against the RFC 25 version 1 rules.
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Flux.Abstractions;
using Flux.Formats;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Flux.Cli.Commands;

internal sealed class JobValidateCommand : Command
{
    // Guards against alias bombs and cyclic anchors when YAML is expanded into JSON.
    private const int MaxDepth = 128;
    private const int MaxNodes = 1_000_000;

    public override string Name => "job validate";

    public override string Summary => "Check jobspec files (JSON or YAML) against the version 1 rules (RFC 25) or, with --require-version=any, RFC 14.";

    public override string Usage => "[--require-version=1|any] FILE|- [FILE...]";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("require-version", null, "V", "1: the version 1 rules (RFC 25, the default); any: canonical RFC 14 rules, any version."),
    ];

    public override string Details => """
        Prints nothing and exits 0 when every FILE is valid; otherwise prints one line per invalid
        FILE, 'flux-job: FILE: PATH: RULE', and exits 1. '-' reads stdin (named 'stdin' in errors).
        It is a standalone form of the jobspec check flux-core runs as 'flux job-validator
        --jobspec-only'.

        A FILE whose first non-blank character is '{' is read as JSON; anything else as YAML (1.2
        core schema: unquoted 1 is a number, quoted "1" a string; true/false are booleans, null and
        ~ are null; yes/no/on/off stay strings). YAML anchors and aliases are expanded; merge keys
        (<<) are not supported.

        With --require-version=any, a jobspec of another version than 1 is checked against the
        canonical RFC 14 rules flux-core's Jobspec class checks (for instances whose scheduler takes
        them); a version 1 jobspec is still held to the version 1 rules, as in flux-core.

        Examples:
          flux job validate job.yaml
          flux job validate --require-version=any canonical.json
          flux run --dry-run hostname | flux job validate -
        """;

    public override async Task<int> RunAsync(ParsedArgs args, CancellationToken ct)
    {
        Expect(args, 1, int.MaxValue);
        var canonical = args.Get("require-version") switch
        {
            null or "1" => false,
            "any" => true,
            var v => throw new UsageException($"--require-version: expected 1 or any, got '{v}'"),
        };
        var failed = 0;
        foreach (var file in args.Positionals)
        {
            var name = file == "-" ? "stdin" : file;
            try
            {
                var text = file == "-"
                    ? await Console.In.ReadToEndAsync(ct).ConfigureAwait(false)
                    : await File.ReadAllTextAsync(file, ct).ConfigureAwait(false);
                var js = ToJson(text);
                // As flux-core's validate_jobspec: a version 1 jobspec is held to the version 1 rules
                // even when any version is accepted.
                if (canonical && !(js["version"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out long version) && version == 1))
                {
                    CanonicalJobspec.Validate(js);
                }
                else
                {
                    JobspecV1.Validate(js);
                }
            }
            catch (Exception ex) when (ex is FluxException or IOException or UnauthorizedAccessException)
            {
                var message = ex switch
                {
                    FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
                    _ => ex.Message,
                };
                await Console.Error.WriteLineAsync($"{Prog}: {name}: {message}").ConfigureAwait(false);
                failed++;
            }
        }
        return failed == 0 ? 0 : 1;
    }

    /// <summary>Reads a jobspec as a JSON object: JSON text as is, YAML converted scalar by scalar.</summary>
    internal static System.Text.Json.Nodes.JsonObject ToJson(string text)
    {
        if (text.AsSpan().TrimStart().StartsWith("{", StringComparison.Ordinal))
        {
            return Jobspec.ParseJson(text);
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new FluxException(Errno.EINVAL, $"invalid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {YamlReason(ex)}", ex);
        }
        if (stream.Documents.Count != 1)
        {
            throw new FluxException(Errno.EINVAL, stream.Documents.Count == 0
                ? "empty file: expected a jobspec"
                : $"expected one YAML document, found {stream.Documents.Count}");
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var budget = MaxNodes;
            Write(writer, stream.Documents[0].RootNode, 0, ref budget);
        }
        return Jobspec.ParseJson(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    // YamlDotNet prefixes its text with "(Line: l, Col: c, Idx: i) - (Line: ...): "; the position is reported separately.
    private static string YamlReason(YamlException ex)
    {
        var m = ex.Message;
        var i = m.IndexOf("): ", StringComparison.Ordinal);
        return m.StartsWith('(') && i > 0 ? m[(i + 3)..] : m;
    }

    private static void Write(Utf8JsonWriter w, YamlNode node, int depth, ref int budget)
    {
        if (depth > MaxDepth || --budget < 0)
        {
            throw Error(node, depth > MaxDepth ? "nesting is too deep" : "document expands to too many nodes (alias loop?)");
        }
        switch (node)
        {
            case YamlMappingNode map:
                w.WriteStartObject();
                foreach (var (key, value) in map.Children)
                {
                    w.WritePropertyName(key is YamlScalarNode { Value: { } k } ? k : throw Error(key, "a mapping key must be a plain value"));
                    Write(w, value, depth + 1, ref budget);
                }
                w.WriteEndObject();
                break;
            case YamlSequenceNode seq:
                w.WriteStartArray();
                foreach (var item in seq.Children)
                {
                    Write(w, item, depth + 1, ref budget);
                }
                w.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(w, scalar);
                break;
            default:
                throw Error(node, $"unsupported YAML node {node.NodeType}");
        }
    }

    // YAML 1.2 core schema resolution for plain scalars; quoted and block scalars are strings
    // unless a standard tag (!!int, !!float, !!bool, !!null, !!str) says otherwise.
    private static void WriteScalar(Utf8JsonWriter w, YamlScalarNode s)
    {
        var value = s.Value ?? "";
        var tag = s.Tag.IsEmpty ? null : s.Tag.Value;
        var kind = tag switch
        {
            null => s.Style is ScalarStyle.Plain or ScalarStyle.Any ? Resolve(value) : "str",
            "!" or "tag:yaml.org,2002:str" => "str",
            "tag:yaml.org,2002:int" => "int",
            "tag:yaml.org,2002:float" => "float",
            "tag:yaml.org,2002:bool" => "bool",
            "tag:yaml.org,2002:null" => "null",
            _ => throw Error(s, $"unsupported tag '{tag}'"),
        };
        switch (kind)
        {
            case "null":
                if (Resolve(value) != "null")
                {
                    throw Error(s, $"'{value}' is not a null");
                }
                w.WriteNullValue();
                break;
            case "bool":
                w.WriteBooleanValue(value.ToUpperInvariant() switch
                {
                    "TRUE" when Resolve(value) == "bool" => true,
                    "FALSE" when Resolve(value) == "bool" => false,
                    _ => throw Error(s, $"'{value}' is not a boolean"),
                });
                break;
            case "int":
                w.WriteRawValue(Integer(value) ?? throw Error(s, $"'{value}' is not an integer"));
                break;
            case "float":
                w.WriteRawValue(Float(value) ?? (Integer(value) is { } i ? i + ".0" : throw Error(s, $"'{value}' is not a number that JSON can hold")));
                break;
            default:
                w.WriteStringValue(value);
                break;
        }
    }

    private static string Resolve(string v)
    {
        if (v is "" or "~" or "null" or "Null" or "NULL")
        {
            return "null";
        }
        if (v is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return "bool";
        }
        if (Integer(v) is not null)
        {
            return "int";
        }
        return IsFloat(v) ? "float" : "str";
    }

    // [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+, as canonical JSON digits.
    private static string? Integer(string v)
    {
        BigInteger n;
        if (v.StartsWith("0x", StringComparison.Ordinal) && v.Length > 2 && v[2..].All(char.IsAsciiHexDigit))
        {
            n = BigInteger.Parse("0" + v[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        }
        else if (v.StartsWith("0o", StringComparison.Ordinal) && v.Length > 2 && v.AsSpan(2).IndexOfAnyExceptInRange('0', '7') < 0)
        {
            n = v[2..].Aggregate(BigInteger.Zero, (acc, c) => (acc * 8) + (c - '0'));
        }
        else
        {
            var digits = v.AsSpan(v.StartsWith('-') || v.StartsWith('+') ? 1 : 0);
            if (digits.IsEmpty || digits.IndexOfAnyExceptInRange('0', '9') >= 0)
            {
                return null;
            }
            n = BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
            if (v.StartsWith('-'))
            {
                n = -n;
            }
        }
        return n.ToString(CultureInfo.InvariantCulture);
    }

    // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? (and .inf/.nan, which JSON cannot hold).
    private static bool IsFloat(string v)
    {
        var s = v.AsSpan();
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            s = s[1..];
        }
        if (s is ".inf" or ".Inf" or ".INF" || v is ".nan" or ".NaN" or ".NAN")
        {
            return true;
        }
        var e = s.IndexOfAny('e', 'E');
        var mantissa = e < 0 ? s : s[..e];
        if (e >= 0)
        {
            var exp = s[(e + 1)..];
            if (exp.Length > 0 && exp[0] is '-' or '+')
            {
                exp = exp[1..];
            }
            if (exp.IsEmpty || exp.IndexOfAnyExceptInRange('0', '9') >= 0)
            {
                return false;
            }
        }
        var dot = mantissa.IndexOf('.');
        var whole = dot < 0 ? mantissa : mantissa[..dot];
        var fraction = dot < 0 ? [] : mantissa[(dot + 1)..];
        var digitsOnly = whole.IndexOfAnyExceptInRange('0', '9') < 0 && fraction.IndexOfAnyExceptInRange('0', '9') < 0;
        return digitsOnly && (whole.Length > 0 || fraction.Length > 0) && (dot >= 0 || e >= 0 || whole.Length > 0);
    }

    // A float as JSON: always with a '.' or exponent, so 2.0 stays a real and never passes as an integer.
    private static string? Float(string v)
    {
        if (!IsFloat(v) || !double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
        {
            return null;
        }
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    private static FluxException Error(YamlNode node, string what) =>
        new(Errno.EINVAL, $"YAML line {node.Start.Line}, column {node.Start.Column}: {what}");
}

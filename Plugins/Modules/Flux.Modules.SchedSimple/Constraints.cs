// RFC 31 job constraints: properties (with ^ negation), hostlist, ranks, and, or, not, matched against one node.
using System.Text.Json;
using System.Text.Json.Nodes;
using Flux.Abstractions;
using Flux.Formats;

namespace Flux.Modules.SchedSimple;

/// <summary>
/// Evaluates RFC 31 constraint objects. Each key of an object is an operator and the object holds
/// when all of them hold: <c>properties</c> (every name present, or absent when written <c>^name</c>),
/// <c>hostlist</c> (the host is in one of the hostlists), <c>ranks</c> (the rank is in one of the
/// idsets), <c>and</c>, <c>or</c>, and <c>not</c> (true when its constraints do not all hold).
/// An empty object matches everything.
/// </summary>
internal static class Constraints
{
    /// <summary>Throws EINVAL naming the first malformed part of a constraint.</summary>
    public static void Validate(JsonObject constraint)
    {
        foreach (var (op, value) in constraint)
        {
            if (value is not JsonArray list)
            {
                throw Fail($"'{op}' must be an array");
            }
            switch (op)
            {
                case "properties":
                    foreach (var p in list)
                    {
                        if (!IsString(p, out var name) || name.TrimStart('^').Length == 0)
                        {
                            throw Fail("properties must be non-empty strings");
                        }
                    }
                    break;
                case "hostlist":
                    foreach (var h in list)
                    {
                        if (!IsString(h, out var text) || !Hostlist.TryParse(text, out _))
                        {
                            throw Fail($"invalid hostlist {h?.ToJsonString()}");
                        }
                    }
                    break;
                case "ranks":
                    foreach (var r in list)
                    {
                        if (!IsString(r, out var text) || !IdSet.TryParse(text, out _))
                        {
                            throw Fail($"invalid idset {r?.ToJsonString()}");
                        }
                    }
                    break;
                case "and" or "or" or "not":
                    foreach (var c in list)
                    {
                        Validate(c as JsonObject ?? throw Fail($"'{op}' must hold constraint objects"));
                    }
                    break;
                default:
                    throw Fail($"unknown operator '{op}'");
            }
        }
    }

    /// <summary>Whether a node satisfies a (validated) constraint.</summary>
    public static bool Matches(JsonObject constraint, uint rank, string? hostname, IReadOnlyList<string> properties)
    {
        foreach (var (op, value) in constraint)
        {
            var list = (JsonArray)value!;
            var ok = op switch
            {
                "properties" => list.All(p =>
                {
                    var name = p!.GetValue<string>();
                    return name.StartsWith('^') ? !Has(properties, name[1..]) : Has(properties, name);
                }),
                "hostlist" => hostname is not null && list.Any(h => Hostlist.Parse(h!.GetValue<string>()).Contains(hostname)),
                "ranks" => list.Any(r => IdSet.Parse(r!.GetValue<string>()).Contains(rank)),
                "and" => list.All(c => Matches((JsonObject)c!, rank, hostname, properties)),
                "or" => list.Any(c => Matches((JsonObject)c!, rank, hostname, properties)),
                "not" => !list.All(c => Matches((JsonObject)c!, rank, hostname, properties)),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A short description for messages: "properties batch,^debug" or the constraint's JSON.</summary>
    public static string Describe(JsonObject constraint) =>
        constraint.Count == 1 && constraint["properties"] is JsonArray props
            ? "properties " + string.Join(',', props.Select(p => p!.GetValue<string>()))
            : "constraints " + constraint.ToJsonString();

    private static bool Has(IReadOnlyList<string> properties, string name)
    {
        foreach (var p in properties)
        {
            if (p == name)
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsString(JsonNode? node, out string value)
    {
        value = string.Empty;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            value = v.GetValue<string>();
            return true;
        }
        return false;
    }

    private static FluxException Fail(string text) => new(Errno.EINVAL, "invalid constraints: " + text);
}

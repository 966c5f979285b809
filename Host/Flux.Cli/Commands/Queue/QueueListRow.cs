// One line of flux queue list: a queue's switches, its policy defaults and limits, and its resources (flux-core's flux.queue.QueueInfo).
using System.Globalization;
using System.Text.Json.Nodes;
using Flux.Formats;

namespace Flux.Cli.Commands;

/// <summary>
/// A queue as flux-core's <c>flux queue list</c> shows it: each policy key looked up in the queue's own
/// table, then the instance's (<c>[queues.NAME.policy]</c> over <c>[policy]</c>); limits not set are
/// 0 (minimum) and inf (maximum); the queue's resources are the scheduler view of the nodes whose
/// properties include the queue's <c>requires</c>.
/// </summary>
internal sealed class QueueListRow
{
    private const string Check = "\u2714";
    private const string Cross = "\u2717";
    private readonly JsonObject? _queueConf;
    private readonly JsonObject? _config;
    private readonly ResourceSchedView _resources;
    private readonly ResourceQueues _queues;
    private readonly bool _color;

    public QueueListRow(string name, bool isDefault, bool enabled, bool started, JsonObject? config, ResourceSchedView resources, ResourceQueues queues, bool color)
    {
        Name = name;
        IsDefault = isDefault;
        Enabled = enabled;
        Started = started;
        _config = config;
        _queueConf = name.Length > 0 ? config?["queues"]?[name] as JsonObject : null;
        _resources = resources;
        _queues = queues;
        _color = color;
    }

    public static Dictionary<string, string> Headings { get; } = BuildHeadings();

    public string Name { get; }

    public bool IsDefault { get; }

    public bool Enabled { get; }

    public bool Started { get; }

    public object? Get(string field) => field switch
    {
        "queue" => Name,
        "queuem" => IsDefault && Name.Length > 0 ? Name + "*" : Name,
        "parent" => string.Empty,
        "submission" => Enabled ? "enabled" : "disabled",
        "scheduling" => Started ? "started" : "stopped",
        "enabled" => Enabled ? Check : Cross,
        "started" => Started ? Check : Cross,
        "enabled.ascii" => Enabled ? "y" : "n",
        "started.ascii" => Started ? "y" : "n",
        "color_enabled" => Color(Enabled),
        "color_started" => Color(Started),
        "color_off" => _color ? "\u001b[0;0m" : string.Empty,
        "defaults.timelimit" => Duration(Policy("jobspec", "defaults", "system", "duration")),
        "limits.timelimit" => Duration(Policy("limits", "duration")),
        "limits.range.nnodes" or "limits.range.ncores" or "limits.range.ngpus" =>
            $"{Number(Min(field[13..]))}-{Number(Max(field[13..]))}",
        "limits.range.effective.nnodes" or "limits.range.effective.ncores" or "limits.range.effective.ngpus" =>
            $"{Number(Min(field[23..]))}-{Number(Math.Min(Max(field[23..]), Count("all", field[23..])))}",
        _ when field.StartsWith("limits.min.", StringComparison.Ordinal) => Number(Min(field[11..])),
        _ when field.StartsWith("limits.max.", StringComparison.Ordinal) => Number(Max(field[11..])),
        _ when field.StartsWith("resources.", StringComparison.Ordinal) => (long)Count(field[10..field.LastIndexOf('.')], field[(field.LastIndexOf('.') + 1)..]),
        _ => null,
    };

    private string Color(bool on) => _color ? (on ? "\u001b[01;32m" : "\u001b[01;31m") : string.Empty;

    // A policy key of the queue's own table, else the instance's.
    private JsonNode? Policy(params string[] path)
    {
        foreach (var table in new[] { _queueConf, _config })
        {
            JsonNode? node = table?["policy"];
            foreach (var key in path)
            {
                node = node is JsonObject o ? o[key] : null;
            }
            if (node is not null)
            {
                return node;
            }
        }
        return null;
    }

    // Seconds of an FSD (a string like "1h" or a number of seconds); not set is inf.
    private static double Duration(JsonNode? fsd)
    {
        if (fsd is JsonValue v && v.TryGetValue(out string? s) && Fsd.TryParse(s, out var seconds))
        {
            return seconds;
        }
        return fsd is JsonValue n && n.TryGetValue(out double d) ? d : double.PositiveInfinity;
    }

    private double Min(string resource) => SizeLimit("min", resource) ?? 0;

    // A negative maximum means unlimited, as not setting it.
    private double Max(string resource) => SizeLimit("max", resource) is { } v && v >= 0 ? v : double.PositiveInfinity;

    private double? SizeLimit(string which, string resource) =>
        Policy("limits", "job-size", which, resource) is JsonValue v && v.TryGetValue(out double d) ? d : null;

    // The queue's nodes (those whose properties include its requires) in one state of the scheduler view.
    private double Count(string state, string resource)
    {
        var set = _queues.NodesOf(_resources[state], Name);
        return resource switch
        {
            "nnodes" => set.NodeCount,
            "ncores" => set.CoreCount,
            _ => set.GpuCount,
        };
    }

    // As Python prints the ints and floats flux-core's QueueInfo holds.
    private static string Number(double v) =>
        double.IsPositiveInfinity(v) ? "inf" : v == Math.Floor(v) ? ((long)v).ToString(CultureInfo.InvariantCulture) : v.ToString(CultureInfo.InvariantCulture);

    private static Dictionary<string, string> BuildHeadings()
    {
        var h = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["queue"] = "QUEUE",
            ["queuem"] = "QUEUE",
            ["parent"] = "PARENT",
            ["submission"] = "SUBMIT",
            ["scheduling"] = "SCHED",
            ["enabled"] = "EN",
            ["started"] = "ST",
            ["enabled.ascii"] = "EN",
            ["started.ascii"] = "ST",
            ["color_enabled"] = string.Empty,
            ["color_started"] = string.Empty,
            ["color_off"] = string.Empty,
            ["defaults.timelimit"] = "TDEFAULT",
            ["limits.timelimit"] = "TLIMIT",
            ["limits.range.nnodes"] = "NNODES",
            ["limits.range.ncores"] = "NCORES",
            ["limits.range.ngpus"] = "NGPUS",
            ["limits.range.effective.nnodes"] = "NNODES",
            ["limits.range.effective.ncores"] = "NCORES",
            ["limits.range.effective.ngpus"] = "NGPUS",
            ["limits.min.nnodes"] = "MINNODES",
            ["limits.max.nnodes"] = "MAXNODES",
            ["limits.min.ncores"] = "MINCORES",
            ["limits.max.ncores"] = "MAXCORES",
            ["limits.min.ngpus"] = "MINGPUS",
            ["limits.max.ngpus"] = "MAXGPUS",
        };
        foreach (var item in new[] { "nnodes", "ncores", "ngpus" })
        {
            foreach (var state in new[] { "all", "free", "allocated", "up", "down" })
            {
                h[$"resources.{state}.{item}"] = item[1..].ToUpperInvariant() + (state == "all" ? string.Empty : ":" + state.ToUpperInvariant()[..Math.Min(5, state.Length)]);
            }
        }
        return h;
    }
}
